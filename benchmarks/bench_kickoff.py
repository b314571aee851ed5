"""Kickoff pack latency on the NASA lessons index: p50 and p95 over one-page briefs.

    .venv/bin/python benchmarks/bench_kickoff.py [--kb DIR] [--briefs N] [--repeat R]

Builds the index first (bench_index_nasa.py) if it is missing or has another schema. The
briefs are made here: three written for NASA-like projects, and more assembled from a seeded
sample of lesson titles and recommendations, so each is a one-page, multi-topic brief. Each
brief's pack is built in this process with the real model (retrieval, themes, checklist,
jargon, open actions), after one warm-up pack; the figure is wall time per pack.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index_nasa import build_nasa_index  # noqa: E402
from common import BENCH_DIR, NASA, percentile  # noqa: E402

from kb.documents.schema import SCHEMA_VERSION  # noqa: E402
from kb.index.generations import Manifest  # noqa: E402
from kb.kickoff import KickoffRequest, build_pack  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.settings import Settings  # noqa: E402

WRITTEN = [
    """# Hermes: a cryogenic propellant loading system for pad 2

The project builds a new liquid hydrogen and oxygen loading system for the launch pad. A
contractor supplies the ground support equipment and the valves; the range safety office
must approve the hazard analyses. Hydrogen leaks during tanking scrubbed earlier launches,
and valve seals degraded in cold conditions. The first launch date is fixed by the customer,
so schedule pressure is high. Loading software is written by a subcontractor and its
configuration changes must be controlled. Hand-offs between design and operations teams have
lost information before. New operators need training and written procedures before the first
tanking test. Transporting the flight tanks to the pad by road is a risk.""",
    """# Cubesat constellation: six small satellites in one year

Six cubesats are built by a university partner and launched as secondary payloads. Parts are
commercial off-the-shelf; radiation tolerance and thermal margins are unknown. The team
is small and mostly students, so documentation and knowledge transfer matter. Ground station
software is reused from an earlier mission. Integration with the launch vehicle adapter and
the deployment switches must be verified, and testing time in the thermal vacuum chamber
is limited. Requirements are still changing and the budget has no reserve.""",
    """# Lunar surface drill: sample acquisition instrument

An instrument team develops a drill that collects regolith samples. Dust gets into
mechanisms and seals; lubricants behave differently in vacuum and at low temperature. The
motor controller and flight software come from two vendors. Test as you fly is hard because
lunar gravity and regolith simulants are imperfect. Contamination control for the sample
path must be planned from the start, and the project review board wants independent
verification of the drill's fault protection.""",
]


def nasa_records() -> list[dict]:
    return [json.loads(line) for line in NASA.read_text().splitlines() if line.strip()]


def title_brief(rng: random.Random, records: list[dict], number: int) -> str:
    """A one-page brief: a goal and risks phrased from a sample of lessons' titles."""
    picks = rng.sample(records, 12)
    lines = [f"# Project {number}: new flight hardware and ground systems", "", "## Scope"]
    lines += [f"- Address: {p['title'].strip()}." for p in picks[:5]]
    lines += ["", "## Risks we already see"]
    for pick in picks[5:]:
        sentence = (pick.get("recommendation_text") or pick.get("lesson_text") or "").strip()
        lines.append(f"- {pick['title'].strip()}. {sentence[:240]}")
    return "\n".join(lines)


def make_briefs(count: int, seed: int = 23) -> list[str]:
    rng = random.Random(seed)
    records = nasa_records()
    made = [title_brief(rng, records, n) for n in range(1, max(0, count - len(WRITTEN)) + 1)]
    return (WRITTEN + made)[:count]


def ensure_index(kb_dir: Path) -> None:
    current = kb_dir / "current"
    if current.exists() and Manifest.read(current.resolve()).schema_version == SCHEMA_VERSION:
        return
    print(f"building {kb_dir} first ...")
    build_nasa_index(kb_dir)


def time_packs(kb: KnowledgeBase, briefs: list[str], repeat: int) -> tuple[list, list]:
    """Milliseconds per pack, and lessons per pack."""
    build_pack(kb, KickoffRequest(briefs[0]))  # warm-up: model, caches, word lists
    timings, lessons = [], []
    for brief in briefs:
        for _ in range(repeat):
            started = time.perf_counter()
            pack = build_pack(kb, KickoffRequest(brief))
            timings.append((time.perf_counter() - started) * 1000)
        lessons.append(len(pack.lessons))
    return timings, lessons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--briefs", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2, help="Packs per brief.")
    args = parser.parse_args()
    ensure_index(args.kb)
    kb = KnowledgeBase(Settings(kb_dir=args.kb))
    briefs = make_briefs(args.briefs)
    timings, lessons = time_packs(kb, briefs, args.repeat)
    words = [len(brief.split()) for brief in briefs]
    print(
        f"Kickoff packs, index {args.kb} ({kb.manifest.counts.get('documents', 0)} documents), "
        f"{len(briefs)} briefs x {args.repeat} ({min(words)}-{max(words)} words each)"
    )
    print(
        f"  pack  p50_ms {percentile(timings, 50):7.1f}   p95_ms {percentile(timings, 95):7.1f}"
        f"   max_ms {max(timings):7.1f}   lessons per pack {min(lessons)}-{max(lessons)}"
    )


if __name__ == "__main__":
    main()
