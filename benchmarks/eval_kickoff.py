"""Recall and topic coverage of kickoff packs: the expected documents, and the brief's risks
with at least one of their documents, found per brief.

    .venv/bin/python benchmarks/eval_kickoff.py [--kb DIR] [--k 12] [--briefs DIR]

The briefs are BRIEFS/*.md (default examples/briefs); BRIEFS/expected.yaml lists, for each,
the documents a careful reader of the corpus expects in its pack, and for briefs with several
distinct risks, each risk's documents. Without --kb, the example corpus is indexed with the
real model into a temporary directory first (about 30 s). examples/briefs/nasa holds briefs
for a NASA index (`benchmarks/bench_index_nasa.py --kb DIR`, then `--kb DIR --briefs
examples/briefs/nasa`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.append(str(REPO))  # PYTHONPATH first: the same script measures another tree

from indexer import run_index  # noqa: E402
from kb.kickoff.evaluation import (  # noqa: E402
    evaluate,
    load_expectations,
    mean_recall,
    topic_coverage,
)
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.settings import Settings  # noqa: E402

BRIEFS = REPO / "examples" / "briefs"
CORPUS = REPO / "examples" / "corpus"


def run(kb_dir: Path, k: int, briefs: Path) -> None:
    results = evaluate(
        KnowledgeBase(Settings(kb_dir=kb_dir)),
        briefs,
        load_expectations(briefs / "expected.yaml"),
        k,
    )
    print(f"Kickoff packs for {briefs} (k={k}, index {kb_dir})")
    for result in results:
        topics = (
            f"  topics {len(result.covered_topics)}/{len(result.topics)}" if result.topics else ""
        )
        print(
            f"  {result.brief:<36} recall {result.recall:4.2f} "
            f"({len(result.expected) - len(result.missing)}/{len(result.expected)})"
            f"  other departments {result.other_departments:>2}/{len(result.found)}{topics}"
            f"  parts with nothing {result.uncovered_parts}"
        )
        if result.missing:
            print(f"  {'':<36} missing: {', '.join(result.missing)}")
        if result.missed_topics:
            print(f"  {'':<36} risks not covered: {'; '.join(result.missed_topics)}")
    print(f"  {'overall (mean per brief)':<36} recall {mean_recall(results):4.2f}")
    found = sum(len(r.expected) - len(r.missing) for r in results)
    total = sum(len(r.expected) for r in results)
    print(
        f"  {'overall (all expected documents)':<36} recall {found / total:4.2f} ({found}/{total})"
    )
    covered, listed = topic_coverage(results)
    if listed:
        print(f"  {'risks covered (briefs with topics)':<36} {covered}/{listed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, help="An index of examples/corpus to reuse.")
    parser.add_argument("--k", type=int, default=12, help="Lessons per pack.")
    parser.add_argument("--briefs", type=Path, default=BRIEFS, help="Briefs and expected.yaml.")
    args = parser.parse_args()
    if args.kb:
        run(args.kb, args.k, args.briefs)
        return
    with tempfile.TemporaryDirectory(prefix="kickoff-eval-") as tmp:
        settings = Settings(kb_dir=Path(tmp) / "kb", progress=False)
        indexed = run_index([CORPUS], settings)
        if indexed.errors:
            raise SystemExit(f"indexing examples/corpus failed: {indexed.errors}")
        run(settings.kb_dir, args.k, args.briefs)


if __name__ == "__main__":
    main()
