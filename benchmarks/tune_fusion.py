"""Compare fusion methods and weights on a BEIR collection (SciFact train by default).

    .venv/bin/python benchmarks/tune_fusion.py [--index .bench/scifact-index]

Reuses the index that `kb eval retrieval --index-dir` keeps, embeds the queries once, and
prints nDCG@10 and recall@100 for each configuration. Only global settings are compared
(fusion method, semantic weight, similarity floor, BM25 field weights): never per query.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, SHARED  # noqa: E402

from indexer.evaluation import evaluate, load_qrels, load_queries  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.search import retrievers  # noqa: E402
from kb.settings import Settings  # noqa: E402

SCIFACT = SHARED / "scifact"
CONFIGS = [
    {"fusion": "rrf"},
    *({"fusion": "blend", "semantic_weight": w} for w in (0.3, 0.4, 0.5, 0.6, 0.7)),
]
FTS_WEIGHTS = [(2.0, 0.5, 1.0), (1.0, 0.5, 1.0), (3.0, 0.5, 1.0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=BENCH_DIR / "scifact-index")
    parser.add_argument("--queries", type=Path, default=SCIFACT / "queries-train.jsonl")
    parser.add_argument("--qrels", type=Path, default=SCIFACT / "qrels" / "train.tsv")
    args = parser.parse_args()
    kb = KnowledgeBase(Settings(kb_dir=args.index, progress=False))
    queries, qrels = load_queries(args.queries), load_qrels(args.qrels)
    judged = {qid: text for qid, text in queries.items() if qid in qrels}
    vectors = dict(zip(judged, kb.embed_queries(list(judged.values())), strict=True))
    kb.embed_queries = lambda texts: [vectors[q] for q in judged]  # reuse the batch
    # The postings hold BM25 parts computed with the index's column weights: score through
    # FTS5 instead, which takes the weights per query.
    kb.generation.searcher.keywords = None
    for weights in FTS_WEIGHTS:
        retrievers.FTS_WEIGHTS = weights
        for config in CONFIGS:
            kb.generation.searcher.config = dataclasses.replace(kb.search_config, **config)
            scores = evaluate(kb, judged, qrels, "hybrid")
            print(f"bm25 weights {weights} {config}: nDCG@10 {scores.ndcg_at_10:.4f} "
                  f"recall@100 {scores.recall_at_100:.4f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
