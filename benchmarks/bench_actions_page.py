"""Time to render /actions (and /api/actions) on the NASA index with many action items.

    .venv/bin/python benchmarks/bench_actions_page.py [--kb DIR] [--actions 5000] [--runs 30]

NASA lessons carry recommendations, not action items with owners, so the script adds
--actions items on the web's own path (`ActionBook.add`, spread over the documents, one in
five overdue) and a status change to every other one (one in ten with a second change),
into a state database beside a copy of the index built with the fake embedder (the page
never embeds). It then renders the pages in process (FastAPI's TestClient: the server's
work without a socket) --runs times each, as an anonymous visitor (NASA lessons are public)
and as an editor, and prints p50 and p95 in ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, NASA, NASA_MAPPING, percentile  # noqa: E402
from figures import emit  # noqa: E402

from indexer import run_index  # noqa: E402
from kb.documents.mapping import Mapping  # noqa: E402
from kb.settings import Settings  # noqa: E402

OWNERS = ("Ana Ruiz", "Tom Li", "Marcus Feld", "Priya Raman", "Jo Okafor", "")
STATUSES = ("in-progress", "done", "dropped")


def nasa_settings(kb_dir: Path) -> Settings:
    settings = Settings(kb_dir=kb_dir, embedder="fake", progress=False, glossary_mining=False)
    if not (kb_dir / "current").exists():
        started = time.perf_counter()
        run_index([NASA], settings, Mapping.load(NASA_MAPPING), rebuild=True)
        print(f"indexed NASA (fake embedder) in {time.perf_counter() - started:.0f} s")
    return settings


def seed_actions(app, count: int) -> None:
    from kb.actions.book import ActionBook

    glossary = app.state.glossary
    glossary.auth.create_user("bench-editor", "a long bench passphrase", "editor")
    editor = glossary.auth.user("bench-editor")
    book = ActionBook(app.state.kb, glossary.state, glossary.clock)
    db = app.state.kb.store.documents.db
    doc_ids = [row[0] for row in db.conn.execute("SELECT id FROM documents ORDER BY id")]
    rng = random.Random(7)
    started = time.perf_counter()
    for n in range(count):
        due = f"{rng.randint(2015, 2024) if n % 5 == 0 else rng.randint(2027, 2030)}-06-15"
        item = book.add(editor, rng.choice(doc_ids), f"Follow up item {n}", rng.choice(OWNERS), due)
        for _ in range(2 if n % 10 == 0 else 1 if n % 2 == 0 else 0):
            book.change(editor, item.id, rng.choice(STATUSES), f"note {n}")
    print(f"seeded {count:,} actions in {time.perf_counter() - started:.0f} s")


def timed(client, url: str, runs: int, headers=None) -> tuple[float, float]:
    client.get(url, headers=headers)  # warm: first SQLAlchemy query, templates
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:300]
    return percentile(times, 50), percentile(times, 95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-actions-index")
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from kb.state import StateDB
    from kb.state.migrate import upgrade
    from web.app import create_app

    settings = nasa_settings(args.kb)
    state = settings.kb_dir / "state.sqlite"
    state.unlink(missing_ok=True)
    db = StateDB(f"sqlite:///{state}", settings.kb_dir)
    upgrade(db)
    db.dispose()
    app = create_app(settings)
    seed_actions(app, args.actions)
    client = TestClient(app)
    token = app.state.glossary.tokens.create("bench-editor")[0]
    editor = {"Authorization": f"Bearer {token}"}
    for label, url, headers in (
        ("/actions, anonymous", "/actions", None),
        ("/actions?status=all", "/actions?status=all", None),
        ("/api/actions?status=all, editor token", "/api/actions?status=all", editor),
    ):
        p50, p95 = timed(client, url, args.runs, headers)
        print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        emit(
            f"render {label} (NASA index, {args.actions:,} actions)",
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
            values={"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "actions": args.actions},
        )


if __name__ == "__main__":
    main()
