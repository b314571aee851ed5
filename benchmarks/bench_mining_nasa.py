"""Glossary mining alone on the NASA lessons: code trees, or spaCy set-ups, timed side by side.

    .venv/bin/python benchmarks/bench_mining_nasa.py [--code DIR ...] [--rounds N]
    .venv/bin/python benchmarks/bench_mining_nasa.py --code ../base19 --spacy-variants

Each timing is a fresh process set up as the index run's mining process (one BLAS thread,
torch kept out), with the spaCy pipeline loaded before the clock starts: it mines the 1,292
NASA records as `kb index` hands them over, with no mining cache (every text parsed). The
candidates go in one order, alternating, ``--rounds`` times; the medians and their ratios
to the first are printed, of CPU seconds (the process's, which waits on a busy machine
stretch less) and of wall seconds. Only ratios within one run compare.

``--code``: source trees (PYTHONPATH) to compare, the first is the base (default: this
one). ``--spacy-variants``: in the first tree only, which must be one from before issue
#19 (models/attribute_rules.py and models/lemma_memo.py), the pipeline with and without
those re-implementations of spaCy's attribute ruler and lemmatizer.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import NASA, NASA_MAPPING, REPO  # noqa: E402

# Where each re-implementation lived: (module, function applying it to a pipeline).
REIMPLEMENTATIONS = {
    "attribute_rules": ("models.attribute_rules", "index_attribute_rules"),
    "lemma_memo": ("models.lemma_memo", "memoize_lemmatizer"),
}
VARIANTS = {"both": ("attribute_rules", "lemma_memo"), "no-attribute-rules": ("lemma_memo",),
            "no-lemma-memo": ("attribute_rules",), "spacy-only": ()}  # fmt: skip


def corpus_rows(scratch: Path) -> Path:
    """The NASA records as the index run hands them to mining, written to a JSON file."""
    from kb.mapping import Mapping

    from indexer import run_index
    from kb.knowledge_base import KnowledgeBase
    from kb.settings import Settings

    settings = Settings(kb_dir=scratch / "kb", embedder="fake", progress=False,
                        glossary_mining=False)  # fmt: skip
    run_index([NASA], settings, Mapping.load(NASA_MAPPING), rebuild=True)
    texts = KnowledgeBase(settings).store.documents.texts()
    rows = [(doc_id, f"{title}\n\n{body}", {"department": department})
            for _, doc_id, department, title, body in texts]  # fmt: skip
    path = scratch / "rows.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def timed_child(code: Path, rows: Path, variant: str | None) -> tuple[float, float]:
    """CPU and wall seconds of one mining in a fresh process."""
    command = [sys.executable, __file__, "--child", str(rows)]
    command += ["--variant", variant] if variant else []
    env = {**os.environ, "PYTHONPATH": str(code), "KB_PROGRESS": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=code)
    if done.returncode:
        raise RuntimeError(f"{code} {variant}: {done.stderr[-2000:]}")
    cpu, wall = done.stdout.split()[-2:]
    return float(cpu), float(wall)


def _spacy_pipeline(variant: str):
    """The project's mining pipeline with only the variant's re-implementations applied."""
    import importlib

    import spacy

    from models import nlp as nlp_module

    nlp = spacy.load(nlp_module.DEFAULT_SPACY_MODEL, exclude=["parser", "ner"])
    nlp.enable_pipe("senter")
    for name in VARIANTS[variant]:
        module, function = REIMPLEMENTATIONS[name]
        getattr(importlib.import_module(module), function)(nlp)
    nlp_module._multiply_with_numpy(nlp)
    return nlp


def child(rows_path: Path, variant: str | None) -> None:
    sys.modules.setdefault("torch", None)  # as the mining process (`background`)
    import numpy  # noqa: F401  (loaded first: threadpoolctl limits only the BLAS it sees)
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    rows = [tuple(row) for row in json.loads(rows_path.read_text(encoding="utf-8"))]
    nlp = _spacy_pipeline(variant) if variant else None
    mine = _mining_function(nlp)
    started, cpu = time.perf_counter(), time.process_time()
    mine(rows)
    print(f"{time.process_time() - cpu:.3f} {time.perf_counter() - started:.3f}")


def _mining_function(nlp):
    """The tree's mining entry point, on every row with no cache."""
    try:
        from indexer.terms import mine
    except ImportError:  # before issue #19
        from indexer.glossary_mining import mine_documents

        from indexer.terms import SourceDocument

        if nlp is None:
            from models.nlp import load_spacy

            nlp = load_spacy()
        return lambda rows: mine_documents([SourceDocument(*r) for r in rows], None, nlp)
    if nlp is None:
        from indexer.terms.spacy_pipeline import mining_pipeline

        nlp = mining_pipeline()
    return lambda rows: mine(rows, None, nlp=nlp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, action="append")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--spacy-variants", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.variant)
    trees = [path.resolve() for path in args.code or [REPO]]
    if args.spacy_variants:
        candidates = [(trees[0], variant) for variant in VARIANTS]
    else:
        candidates = [(tree, None) for tree in trees]
    with tempfile.TemporaryDirectory(prefix="bench-mining-") as scratch:
        rows = corpus_rows(Path(scratch))
        seconds = {candidate: [] for candidate in candidates}
        for _ in range(args.rounds):
            for candidate in candidates:
                seconds[candidate].append(timed_child(candidate[0], rows, candidate[1]))
    report(seconds)


def report(seconds: dict) -> None:
    print(f"NASA glossary mining, {len(next(iter(seconds.values())))} alternating rounds")
    for kind, column in (("CPU", 0), ("wall", 1)):
        medians = {c: statistics.median(t[column] for t in times) for c, times in seconds.items()}
        base = next(iter(medians.values()))
        for (tree, variant), median in medians.items():
            runs = " ".join(f"{t[column]:.1f}" for t in seconds[(tree, variant)])
            label = f"{tree}" + (f" [{variant}]" if variant else "")
            print(f"  {kind:<4} {label:<44} median {median:6.2f} s  x{median / base:.2f}  ({runs})")


if __name__ == "__main__":
    main()
