"""What the glossary's access rule costs on the NASA index: glossary pages, p50 / p95, for a
viewer who reads everything (an admin) and for one who does not.

    .venv/bin/python benchmarks/bench_glossary_access.py [--kb DIR] [--restrict DEPT] [--requests N] [--rank]

The NASA lessons are public, so nothing would be filtered: `--restrict` (default KSC, the
largest center) marks that department's lessons restricted in the index's live generation,
as a mapping declaring the level would have. THE INDEX IS CHANGED: point --kb at a copy
or a bench index. Then, signed in as an admin, the bench accepts the queue's first terms
(as drafts) once, and times, for the admin and for a viewer outside the department:
term pages (`/api/glossary/terms/KEY`; anonymous), the review queue
(`/api/glossary/review`; an editor) and contested terms (`/api/glossary/contested`; an
editor, whose first request judges them again on the readable lessons: timed apart).
That first request reads the evidence `kb index` keeps per document when it mines; on an
index written before that evidence was kept it reads every readable text instead:
`--rank` ranks the contested terms again first, as mining does, keeping the evidence.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_glossary_pages import EDITOR, add_editor, sign_in  # noqa: E402
from common import BENCH_DIR, percentile, served, time_requests  # noqa: E402
from figures import emit  # noqa: E402

from kb.index.generations import DB_NAME, current_generation  # noqa: E402

ADMIN = "bench-admin"
TERMS = 20


def restrict(kb_dir: Path, department: str) -> int:
    """Mark `department`'s documents restricted in the live generation; how many."""
    with sqlite3.connect(current_generation(kb_dir) / DB_NAME) as conn:
        changed = conn.execute(
            "UPDATE documents SET sensitivity = 'restricted' WHERE department = ?", (department,)
        ).rowcount
    return changed


def rank_again(kb_dir: Path) -> int:
    """Rank the live generation's contested terms again, as mining does; how many."""
    from kb.glossary.contested import rank_contested
    from kb.index.store import Store

    store = Store(current_generation(kb_dir) / DB_NAME)
    try:
        with store.db.transaction():
            return rank_contested(store)
    finally:
        store.close()


def accept_terms(client: httpx.Client) -> list[str]:
    """The keys of the queue's first TERMS candidates, accepted as drafts if still pending."""
    page = client.get("/glossary/review", params={"per_page": TERMS}).text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    items = client.get("/api/glossary/review", params={"per_page": TERMS}).json()["items"]
    if items:
        form = [("csrf_token", token), ("bulk_action", "accept"), ("back", "/glossary/review")]
        form += [("key", i["term"]) for i in items]
        form += [(f"version:{i['term']}", str(i["version"])) for i in items]
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        client.post("/glossary/review/bulk", content=urlencode(form), headers=headers)
    terms = client.get("/api/glossary/terms").json()
    return [term["key"] for term in terms][:TERMS]


def timed(client: httpx.Client, urls: list[str]) -> list[float]:
    time_requests(client, urls[:3])  # warm-up
    timings = time_requests(client, urls)
    return [round(percentile(timings, 50), 1), round(percentile(timings, 95), 1)]


def measure(clients: dict[str, httpx.Client], keys: list[str], requests: int) -> dict:
    terms = [f"/api/glossary/terms/{keys[n % len(keys)]}" for n in range(requests)]
    queue = [f"/api/glossary/review?status=all&page={1 + n % 5}" for n in range(requests)]
    contested = [f"/api/glossary/contested?page={1 + n % 3}" for n in range(requests)]
    started = time.perf_counter()
    clients[EDITOR].get(contested[0]).raise_for_status()
    first = round((time.perf_counter() - started) * 1000, 1)
    return {
        "term_page": {v: timed(clients[v], terms) for v in ("anonymous", ADMIN)},
        "review_queue": {v: timed(clients[v], queue) for v in (EDITOR, ADMIN)},
        "contested": {v: timed(clients[v], contested) for v in (EDITOR, ADMIN)},
        "contested_first_ms": first,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--restrict", default="KSC")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rank", action="store_true", help="rank contested terms again first")
    args = parser.parse_args()
    if args.rank:
        print(f"{args.kb}: {rank_again(args.kb)} contested terms ranked again")
    restricted = restrict(args.kb, args.restrict)
    add_editor(args.kb)
    add_editor(args.kb, ADMIN, "admin")
    with served(args.kb) as base:
        clients = {
            name: httpx.Client(base_url=base, timeout=120) for name in ("anonymous", EDITOR, ADMIN)
        }
        sign_in(clients[EDITOR])
        sign_in(clients[ADMIN], ADMIN)
        keys = accept_terms(clients[ADMIN])
        results = measure(clients, keys, args.requests)
    print(f"{args.kb}: {restricted} {args.restrict} lessons restricted, {len(keys)} terms")
    for page in ("term_page", "review_queue", "contested"):
        for viewer, (p50, p95) in results[page].items():
            print(f"  {page:<13} {viewer:<13} p50_ms {p50:8.1f}   p95_ms {p95:8.1f}")
    print(f"  contested, first request of the editor: {results['contested_first_ms']} ms")
    emit(
        f"NASA glossary pages, {args.restrict} restricted: a viewer outside it vs an admin, p50",
        "; ".join(
            f"{page} {' vs '.join(str(v[0]) for v in results[page].values())} ms"
            for page in ("term_page", "review_queue", "contested")
        )
        + f"; contested first request {results['contested_first_ms']} ms",
        values={**results, "restricted": restricted, "requests": args.requests},
    )


if __name__ == "__main__":
    main()
