"""What bench_two_servers.py runs against: PostgreSQL, an index, an editor, two `kb serve`.

Everything started here is stopped when the `ExitStack` it was entered on closes (also on
Ctrl-C and on errors): the servers are terminated, then killed if they linger; PostgreSQL
is stopped with pg_ctl and its directory removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
from common import REPO, free_port, wait_until_up

sys.path.insert(0, str(REPO))
from tests.postgres import DATABASE, PostgresServer, postgres_bin  # noqa: E402

KB = Path(sys.executable).with_name("kb")
EXAMPLES = REPO / "examples" / "corpus"
EDITOR = "bench-editor"
# Glossary terms the benchmark imports (accepted), reads and edits; words of the example corpus.
TERMS = (
    "lead time", "vendor", "root cause analysis", "postmortem", "escalation", "change freeze",
    "runbook", "on-call", "budget variance", "purchase order", "contract renewal",
    "onboarding", "churn", "service level agreement", "rollback", "incident", "audit",
    "forecast", "deployment", "handover",
)  # fmt: skip
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Editor:
    """The editor the clients act as: an API token (/api) and a signed-in session (forms)."""

    token: str
    cookies: dict[str, str]
    csrf_token: str


@dataclass(frozen=True)
class Deployment:
    kb_dir: Path
    database_url: str
    env: dict[str, str]  # the servers' and the CLI's environment
    postgres: PostgresServer


def kb_command(env: dict, *args: str, stdin: str = "") -> str:
    """Run `kb ARGS` and return its output; a failure stops the benchmark, saying why."""
    done = subprocess.run(
        [str(KB), *args], input=stdin, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"kb {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start_postgres(stack: contextlib.ExitStack) -> PostgresServer:
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise SystemExit(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): make postgres"
        )
    server = PostgresServer(bin_dir)
    stack.callback(server.stop)
    return server


def deploy(stack: contextlib.ExitStack, kb_dir: Path | None, extra_env: dict) -> Deployment:
    """PostgreSQL, the index (the example corpus with the fake embedder unless `kb_dir`),
    `kb db upgrade`, the editor, and the benchmark's glossary terms."""
    scratch = Path(tempfile.mkdtemp(prefix="lessonbase-two-servers-"))
    stack.callback(subprocess.run, ["rm", "-rf", str(scratch)], check=False)
    postgres = start_postgres(stack)
    url = postgres.url(DATABASE)
    env = {**os.environ, "KB_PROGRESS": "0", "KB_DATABASE_URL": url, **extra_env}
    if kb_dir is None:
        kb_dir = scratch / "kb"
        env.update(KB_EMBEDDER="fake", KB_GLOSSARY_MINING="0")
        kb_command(env, "index", str(EXAMPLES), "--kb", str(kb_dir))
    kb_command(env, "db", "upgrade", "--kb", str(kb_dir))
    terms = scratch / "terms.csv"
    rows = [f"{t},{t.title()},What the example departments mean by {t}." for t in TERMS]
    terms.write_text("key,label,definition\n" + "\n".join(rows) + "\n", encoding="utf-8")
    password = secrets.token_urlsafe(16)
    kb_command(env, "user", "add", EDITOR, "--role", "editor", "--password-stdin",
               "--kb", str(kb_dir), stdin=password + "\n")  # fmt: skip
    kb_command(env, "glossary", "import", str(terms), "--as", EDITOR, "--kb", str(kb_dir))
    env["BENCH_EDITOR_PASSWORD"] = password  # handed to sign_in, never to the servers' output
    return Deployment(kb_dir, url, env, postgres)


def start_server(stack: contextlib.ExitStack, deployment: Deployment) -> tuple[str, int]:
    """One `kb serve` on a free loopback port; (base URL, pid). In its own session, so that
    a Ctrl-C reaches this script, which stops it, rather than both at once."""
    port = free_port()
    env = {k: v for k, v in deployment.env.items() if k != "BENCH_EDITOR_PASSWORD"}
    proc = subprocess.Popen(
        [str(KB), "serve", "--kb", str(deployment.kb_dir), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    stack.callback(stop_process, proc)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, proc, timeout=600)
    return base, proc.pid


def stop_process(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)


def sign_in(deployment: Deployment, base: str) -> Editor:
    """A token from `kb token create` and one session signed in on `base` (the other
    server accepts it too: sessions live in the shared database)."""
    token = kb_command(
        deployment.env, "token", "create", EDITOR, "--name", "bench", "--kb", str(deployment.kb_dir)
    ).strip()
    with httpx.Client(base_url=base, timeout=60) as http:
        login_form = http.get("/login").text
        form = {"name": EDITOR, "password": deployment.env["BENCH_EDITOR_PASSWORD"],
                "csrf_token": CSRF.search(login_form).group(1), "next": "/glossary"}  # fmt: skip
        signed_in = http.post("/login", data=form)
        if signed_in.status_code != 303:
            raise RuntimeError(f"sign-in as {EDITOR} refused: HTTP {signed_in.status_code}")
        edit_page = http.get(f"/glossary/terms/{TERMS[0]}/edit")
        edit_page.raise_for_status()
        return Editor(token, dict(http.cookies), CSRF.search(edit_page.text).group(1))
