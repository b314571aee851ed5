"""The cost of recording reads of restricted documents: document page p50 for a restricted
document with and without the record, on the example corpus.

    .venv/bin/python benchmarks/bench_restricted_reads.py [--requests N] [--database-url URL]

Indexes examples/corpus with the fake embedder under a temporary directory (the page does
not embed), signs in as an admin through the login form, then requests the restricted
document's page in alternating blocks with the record on and off (the web app's read log
set to None), so load from other jobs falls on both alike. The state database is the
embedded SQLite default unless --database-url names another.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import emit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ADMIN, PASSWORD = "bench-admin", "bench admin password 42"
BLOCK = 20


def build_app(base: Path, database_url: str | None):
    from argon2 import PasswordHasher

    from indexer import run_index
    from kb.settings import Settings
    from web.app import create_app

    settings = Settings(kb_dir=base / "kb", embedder="fake", progress=False)
    settings = replace(settings, glossary_mining=False)
    if database_url:
        settings = replace(settings, database_url=database_url)
    run = run_index([ROOT / "examples" / "corpus"], settings)
    assert not run.errors, run.errors
    app = create_app(settings)
    app.state.glossary.auth.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    app.state.glossary.auth.create_user(ADMIN, PASSWORD, "admin")
    return app


def sign_in(client: TestClient) -> None:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]*)"', page[page.index('action="/login"') :])
    data = {"name": ADMIN, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def restricted_id(client: TestClient) -> str:
    hits = client.get("/api/search", params={"q": "data retention review", "k": 20}).json()
    for hit in hits:
        if client.get(f"/api/documents/{hit['id']}").json()["sensitivity"] == "restricted":
            return hit["id"]
    raise SystemExit("no restricted document in examples/corpus matched the query")


def timed(client: TestClient, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="per variant")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reads-") as tmp:
        app = build_app(Path(tmp), args.database_url)
        log = app.state.read_log
        with TestClient(app) as client:
            sign_in(client)
            path = f"/documents/{restricted_id(client)}"
            timings = {"recorded": [], "not recorded": []}
            for _ in range(3):
                timed(client, path)  # warm-up
            for block in range(2 * -(-args.requests // BLOCK)):
                variant = "recorded" if block % 2 == 0 else "not recorded"
                app.state.read_log = log if variant == "recorded" else None
                timings[variant] += [timed(client, path) for _ in range(BLOCK)]
            rows = log.list(log_filters()).total
        app.state.glossary.state.dispose()
    report(timings, path, rows)


def log_filters():
    from kb.audit import ReadFilters

    return ReadFilters(per_page=1)


def report(timings: dict[str, list[float]], path: str, rows: int) -> None:
    p50 = {name: statistics.median(values) for name, values in timings.items()}
    ratio = p50["recorded"] / p50["not recorded"]
    print(f"Restricted document page {path}, {len(timings['recorded'])} requests per variant:")
    for name, value in p50.items():
        print(f"  {name:<13} p50_ms {value:6.2f}")
    print(f"  ratio {ratio:.3f}; {rows} reads recorded")
    emit(
        "Restricted document page p50, read recorded vs not",
        f"{p50['recorded']:.1f} ms vs {p50['not recorded']:.1f} ms ({ratio:.2f}×)",
        target="not noticeably slower",
        values={
            "p50_recorded_ms": round(p50["recorded"], 2),
            "p50_not_recorded_ms": round(p50["not recorded"], 2),
        },  # fmt: skip
    )


if __name__ == "__main__":
    main()
