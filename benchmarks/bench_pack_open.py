"""Opening saved kickoff packs per viewer on the NASA lessons index: p50 per pack, and the
packs list.

    .venv/bin/python benchmarks/bench_pack_open.py [--kb DIR] [--briefs N] [--listed N]

Builds the index first (bench_index_nasa.py) if it is missing or has another schema. Packs of
30 lessons are built for the system viewer from bench_kickoff.py's briefs; each is then
opened (kb.kickoff.as_read_by: readability, themes, checklist, jargon hints) by the system
viewer, a signed-in reader and an anonymous visitor. The list figure is the worst case: N
packs none of whose lessons another shares, each checked with its own lookup.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_kickoff import ensure_index, make_briefs  # noqa: E402
from common import BENCH_DIR, percentile  # noqa: E402

from kb.access import Viewer  # noqa: E402
from kb.kickoff import (  # noqa: E402
    KickoffRequest,
    Readable,
    as_read_by,
    build_pack,
    summary_as_read_by,
)
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.settings import Settings  # noqa: E402

VIEWERS = {
    "system": Viewer.system(),
    "reader": Viewer(True, "reader", ("Engineering",)),
    "anonymous": Viewer.anonymous(),
}


def timed_ms(action, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--briefs", type=int, default=6)
    parser.add_argument("--listed", type=int, default=200, help="Packs in the list.")
    args = parser.parse_args()
    ensure_index(args.kb)
    kb = KnowledgeBase(Settings(kb_dir=args.kb))
    packs = [build_pack(kb, KickoffRequest(brief, k=30)) for brief in make_briefs(args.briefs)]
    jargon = sum(len(pack.jargon) for pack in packs)
    print(
        f"Saved packs opened per viewer, index {args.kb} "
        f"({kb.manifest.counts.get('documents', 0)} documents), {len(packs)} packs of "
        f"{min(len(p.lessons) for p in packs)}-{max(len(p.lessons) for p in packs)} lessons, "
        f"{jargon} jargon terms in all"
    )
    listed = [packs[i % len(packs)] for i in range(args.listed)]
    for name, viewer in VIEWERS.items():
        opens, lists = figures(kb, viewer, packs, listed)
        print(
            f"  {name:<9} open p50_ms {percentile(opens, 50):6.1f}  p95_ms "
            f"{percentile(opens, 95):6.1f}   list of {args.listed} p50_ms "
            f"{percentile(lists, 50):6.1f}"
        )


def figures(kb: KnowledgeBase, viewer: Viewer, packs: list, listed: list) -> tuple[list, list]:
    """(ms per pack opened, ms per list), the viewer's lookups made anew each time."""
    opens = [
        ms
        for pack in packs
        for ms in timed_ms(lambda p=pack: as_read_by(p, Readable(kb, viewer)), 5)
    ]
    lists = timed_ms(lambda: [summary_as_read_by(p, Readable(kb, viewer)) for p in listed], 3)
    return opens, lists


if __name__ == "__main__":
    main()
