"""Glossary editors' pages over HTTP on the NASA lessons index: p50 and p95 per page.

    .venv/bin/python benchmarks/bench_glossary_pages.py [--kb DIR] [--requests N]

Builds the index first (bench_index_nasa.py) if it does not exist. Adds an editor to the
index's state database (once), signs in as a browser would, then requests, one at a time
after a warm-up, each page of the contested terms (`/glossary/contested?page=N`, HTML, and
its JSON twin), cycling through the pages the index has. An index or a Lessonbase without
pages answers every page=N with its whole list, which is what that version's editors load.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index_nasa import build_nasa_index  # noqa: E402
from common import BENCH_DIR, percentile, served, time_requests  # noqa: E402
from figures import emit, met  # noqa: E402

EDITOR, PASSWORD = "bench-editor", "bench editor password 42"
TARGET_MS = 300


def add_editor(kb_dir: Path, name: str = EDITOR, role: str = "editor") -> None:
    """The bench's editor, added through `kb user add` (an existing one is kept)."""
    kb = Path(sys.executable).with_name("kb")
    subprocess.run(
        [str(kb), "user", "add", name, "--role", role, "--password-stdin", "--kb", str(kb_dir)],
        input=PASSWORD + "\n", text=True, capture_output=True,
        env={**os.environ, "KB_PROGRESS": "0"},
    )  # fmt: skip


def sign_in(client: httpx.Client, name: str = EDITOR) -> None:
    page = client.get("/login").text
    form = page[page.index('action="/login"') :]
    token = re.search(r'name="csrf_token" value="([^"]*)"', form).group(1)
    data = {"name": name, "password": PASSWORD, "csrf_token": token, "next": "/glossary"}
    response = client.post("/login", data=data)
    if response.status_code >= 400 or "session" not in "".join(client.cookies.keys()).lower():
        raise SystemExit(f"could not sign in as {name}: HTTP {response.status_code}")


def page_count(client: httpx.Client) -> int:
    data = client.get("/glossary/contested", params={"format": "json"}).json()
    return data.get("pages", 1) if isinstance(data, dict) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    if not (args.kb / "current").exists():
        print(f"building {args.kb} first ...")
        build_nasa_index(args.kb)
    add_editor(args.kb)
    results = {}
    with served(args.kb) as base, httpx.Client(base_url=base, timeout=60) as client:
        sign_in(client)
        pages = page_count(client)
        numbers = [1 + n % pages for n in range(args.requests)]
        print(f"Contested terms, index {args.kb}: {pages} page(s), {args.requests} requests each")
        for name, suffix in (("html", ""), ("json", "&format=json")):
            urls = [f"/glossary/contested?page={n}{suffix}" for n in numbers]
            time_requests(client, urls[:5])  # warm-up
            timings = time_requests(client, urls)
            results[name] = [round(percentile(timings, p), 1) for p in (50, 95)]
            print(f"  {name:<5} p50_ms {results[name][0]:7.1f}   p95_ms {results[name][1]:7.1f}")
    worst = max(p95 for _, p95 in results.values())
    emit(
        "NASA contested glossary terms over HTTP, one page at a time, p50 / p95",
        "; ".join(f"{name} {p50} / {p95} ms" for name, (p50, p95) in results.items()),
        target=f"under {TARGET_MS} ms per page: {met(worst < TARGET_MS)}",
        values={"p50_p95_ms": results, "pages": pages, "requests": args.requests},
    )


if __name__ == "__main__":
    main()
