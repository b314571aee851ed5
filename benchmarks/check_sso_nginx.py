"""Runs docs/deploy.md's nginx `auth_request` single sign-on set-up and checks who is who.

    .venv/bin/python benchmarks/check_sso_nginx.py [--kb DIR]

Needs Debian's nginx (`apt-get install nginx-light`). oauth2-proxy itself cannot be fetched
here (a Go binary, no Go module proxy), so a stand-in answers nginx's `/oauth2/auth`
sub-request exactly as `oauth2-proxy --set-xauthrequest` does: 202 with
`X-Auth-Request-Preferred-Username` and `X-Auth-Request-Groups` for a signed-in browser (here:
an `sso` cookie naming the user and groups), 401 otherwise. Everything else is real: nginx
with the documented `location /` block, and `kb serve` with KB_TRUSTED_* set as documented,
over the example corpus (fake embedder: the check is about identity, not ranking).

Prints one line per check and exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = [sys.executable, "-c", "from kb.cli import main; main()"]
NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{nginx_port};
    location /oauth2/ {{
      proxy_pass http://127.0.0.1:{auth_port};
      proxy_set_header X-Original-URI $request_uri;
    }}
    location = /oauth2/auth {{
      proxy_pass http://127.0.0.1:{auth_port};
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
    }}
    # From docs/deploy.md, as written there:
    location / {{
      auth_request /oauth2/auth;
      error_page 401 = /oauth2/sign_in;
      auth_request_set $kb_user   $upstream_http_x_auth_request_preferred_username;
      auth_request_set $kb_groups $upstream_http_x_auth_request_groups;
      proxy_set_header X-Forwarded-User   $kb_user;
      proxy_set_header X-Forwarded-Groups $kb_groups;
      proxy_pass http://127.0.0.1:{kb_port};
    }}
  }}
}}
"""


class StandInAuth(http.server.BaseHTTPRequestHandler):
    """oauth2-proxy's two answers nginx relies on: /oauth2/auth and /oauth2/sign_in."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path.startswith("/oauth2/auth"):
            user, groups = self._signed_in()
            self.send_response(202 if user else 401)
            if user:
                self.send_header("X-Auth-Request-Preferred-Username", user)
                self.send_header("X-Auth-Request-Groups", groups)
            self.end_headers()
        else:
            body = b"single sign-on page"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def _signed_in(self) -> tuple[str, str]:
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "sso":
                user, _, groups = value.partition(":")
                return user, groups
        return "", ""

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def build_index(kb_dir: Path, env: dict) -> None:
    if (kb_dir / "current").exists():
        return
    corpus = ROOT / "examples" / "corpus"
    cmd = [*KB, "index", str(corpus), "--kb", str(kb_dir)]
    subprocess.run(cmd, env=env, check=True, capture_output=True)


def documents_seen(base: str, headers: dict | None = None) -> int | None:
    status, body = get(f"{base}/api/info", headers)
    return json.loads(body)["counts"]["documents"] if status == 200 else None


def checks(nginx: str, direct: str) -> list[tuple[str, bool, str]]:
    hr = {"Cookie": "sso=hana:HR"}
    sales = {"Cookie": "sso=sam:Sales"}
    spoof = {"X-Forwarded-User": "root", "X-Forwarded-Groups": "HR,Legal,Finance"}
    anonymous = documents_seen(direct)
    admin_like = documents_seen(direct, spoof)  # from 127.0.0.1 kb trusts it: bind privately
    status, body = get(f"{nginx}/api/info")
    hr_count = documents_seen(nginx, hr)
    sales_count = documents_seen(nginx, sales)
    spoofed = documents_seen(nginx, {**sales, **spoof})
    return [
        ("no SSO cookie: nginx shows the sign-on page", body == b"single sign-on page", ""),
        (
            "HR member sees more than a visitor",
            (hr_count or 0) > (anonymous or 0),
            f"{hr_count} vs {anonymous}",
        ),
        (
            "HR member sees the HR restricted lesson, Sales does not",
            (hr_count or 0) == (sales_count or 0) + 1,
            f"{hr_count} vs {sales_count}",
        ),
        (
            "client-sent X-Forwarded-* are overwritten by nginx",
            spoofed == sales_count,
            f"{spoofed} (spoofed) vs {sales_count}",
        ),
        (
            "the same headers straight to kb serve from a trusted address are believed",
            (admin_like or 0) > (hr_count or 0),
            f"{admin_like}: bind kb serve privately",
        ),
        ("status of the sign-on page", status == 200, str(status)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, help="index of examples/corpus (built if missing)")
    args = parser.parse_args()
    if shutil.which("nginx") is None:
        raise SystemExit("nginx not found: apt-get install nginx-light")
    tmp = Path(tempfile.mkdtemp(prefix="sso-check-"))
    kb_dir = args.kb or tmp / "index"
    kb_port, auth_port, nginx_port = free_port(), free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KB_EMBEDDER": "fake", "KB_KB_DIR": str(kb_dir)}
    build_index(kb_dir, env)
    auth = http.server.ThreadingHTTPServer(("127.0.0.1", auth_port), StandInAuth)
    threading.Thread(target=auth.serve_forever, daemon=True).start()
    serve_env = {
        **env,
        "KB_TRUSTED_PROXIES": "127.0.0.1",
        "KB_TRUSTED_USER_HEADER": "X-Forwarded-User",
        "KB_TRUSTED_GROUPS_HEADER": "X-Forwarded-Groups",
    }
    serve = subprocess.Popen(
        [*KB, "serve", "--kb", str(kb_dir), "--port", str(kb_port)],
        env=serve_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(tmp=tmp, nginx_port=nginx_port, auth_port=auth_port, kb_port=kb_port)
    )
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"])
    try:
        direct = f"http://127.0.0.1:{kb_port}"
        wait_for(f"{direct}/api/info")
        wait_for(f"http://127.0.0.1:{nginx_port}/oauth2/sign_in")
        results = checks(f"http://127.0.0.1:{nginx_port}", direct)
    finally:
        nginx.terminate()
        serve.terminate()
        auth.shutdown()
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f" ({detail})" if detail else ""))
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
