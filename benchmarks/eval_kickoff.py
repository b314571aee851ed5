"""Recall of kickoff packs on the example corpus: the expected documents found per brief.

    .venv/bin/python benchmarks/eval_kickoff.py [--kb DIR] [--k 12]

The briefs are examples/briefs/*.md; examples/briefs/expected.yaml lists, for each, the
documents a careful reader of examples/corpus expects in its pack. Without --kb, the example
corpus is indexed with the real model into a temporary directory first (about 30 s).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer import run_index  # noqa: E402
from kb.kickoff.evaluation import evaluate, load_expectations, mean_recall  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.settings import Settings  # noqa: E402

BRIEFS = REPO / "examples" / "briefs"
CORPUS = REPO / "examples" / "corpus"


def run(kb_dir: Path, k: int) -> None:
    results = evaluate(
        KnowledgeBase(Settings(kb_dir=kb_dir)),
        BRIEFS,
        load_expectations(BRIEFS / "expected.yaml"),
        k,
    )
    print(f"Kickoff pack recall on {CORPUS.relative_to(REPO)} (k={k}, index {kb_dir})")
    for result in results:
        print(
            f"  {result.brief:<36} recall {result.recall:4.2f} "
            f"({len(result.expected) - len(result.missing)}/{len(result.expected)})"
            f"  other departments {result.other_departments:>2}/{len(result.found)}"
        )
        if result.missing:
            print(f"  {'':<36} missing: {', '.join(result.missing)}")
    print(f"  {'overall (mean per brief)':<36} recall {mean_recall(results):4.2f}")
    found = sum(len(r.expected) - len(r.missing) for r in results)
    total = sum(len(r.expected) for r in results)
    print(
        f"  {'overall (all expected documents)':<36} recall {found / total:4.2f} ({found}/{total})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, help="An index of examples/corpus to reuse.")
    parser.add_argument("--k", type=int, default=12, help="Lessons per pack.")
    args = parser.parse_args()
    if args.kb:
        run(args.kb, args.k)
        return
    with tempfile.TemporaryDirectory(prefix="kickoff-eval-") as tmp:
        settings = Settings(kb_dir=Path(tmp) / "kb", progress=False)
        indexed = run_index([CORPUS], settings)
        if indexed.errors:
            raise SystemExit(f"indexing examples/corpus failed: {indexed.errors}")
        run(settings.kb_dir, args.k)


if __name__ == "__main__":
    main()
