"""Glossary-candidate mining on the three shared ACTER domains (TermEval 2020 protocol).

    .venv/bin/python benchmarks/eval_acter.py [--skip-lodo]

Prints, per domain and as a mean, precision / recall / F1 of the unique lower-cased
candidate strings against the gold list with named entities (`*_en_terms_nes.tsv`):
  - leave-one-domain-out: a model trained on the other two domains (the honest figure,
    what to expect on an unseen domain),
  - in-domain: the shipped model, trained on all three (optimistic: it saw these labels),
  - the plain C-value baseline at its best cut-off in hindsight (an upper bound for it),
and the time to parse and mine each domain.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SHARED  # noqa: E402
from indexer.terms.config import CVALUE, MinerConfig  # noqa: E402
from indexer.terms.evaluate import TermScores, score_terms  # noqa: E402
from indexer.terms.miner import mine_parsed  # noqa: E402
from indexer.terms.train import (  # noqa: E402
    DOMAINS,
    LabelledCorpus,
    evaluate,
    leave_one_domain_out,
    load_acter_domain,
)

ACTER = SHARED / "acter"


def cvalue_best(corpus: LabelledCorpus) -> TermScores:
    """C-value ranking cut at the best of 100 evenly spaced lengths (hindsight)."""
    ranked = mine_parsed(corpus.parsed, MinerConfig(scorer=CVALUE)).ranked_strings(False)
    lengths = range(len(ranked) // 100, len(ranked) + 1, max(1, len(ranked) // 100))
    return max((score_terms(ranked[:k], corpus.gold) for k in lengths if k), key=lambda s: s.f1)


def report(title: str, scores: dict[str, TermScores]) -> None:
    print(f"\n{title}")
    for name, s in scores.items():
        print(f"  {name:5s} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}"
              f"  ({s.true_positives}/{s.n_candidates} candidates, {s.n_gold} gold)")  # fmt: skip
    mean = {
        k: sum(getattr(s, k) for s in scores.values()) / len(scores)
        for k in ("precision", "recall", "f1")
    }
    print(f"  mean  P {mean['precision']:.3f}  R {mean['recall']:.3f}  F1 {mean['f1']:.3f}")


def load_all() -> list[LabelledCorpus]:
    from indexer.terms.spacy_pipeline import mining_pipeline

    mining_pipeline()  # load once, outside the timings
    corpora = []
    for name in DOMAINS:
        start = time.perf_counter()
        corpora.append(load_acter_domain(ACTER, name))
        parsed = time.perf_counter()
        evaluate(corpora[-1])
        print(f"{name}: parse {parsed - start:.1f}s, mine {time.perf_counter() - parsed:.1f}s")
    return corpora


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-lodo", action="store_true", help="skip retraining per fold")
    args = parser.parse_args()
    corpora = load_all()
    if not args.skip_lodo:
        report("leave-one-domain-out (headline)", leave_one_domain_out(corpora))
    report("in-domain, shipped model (optimistic)", {c.name: evaluate(c) for c in corpora})
    report("C-value baseline, best cut-off in hindsight", {c.name: cvalue_best(c) for c in corpora})


if __name__ == "__main__":
    main()
