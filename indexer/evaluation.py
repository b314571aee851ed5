"""`kb eval retrieval`: nDCG@10 and recall@100 on a BEIR-layout test collection.

Builds (or reuses) an index of the corpus, runs every judged query in the chosen modes, and
can write a TREC run file (`qid Q0 docid rank score tag`) so anyone can score it independently.
"""

from __future__ import annotations

import csv
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from indexer.pipeline import run_index
from kb.documents.mapping import Mapping
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchRequest
from kb.settings import Settings

# A BEIR corpus line (`_id`, `title`, `text`) as a Lessonbase document.
BEIR_MAPPING = Mapping.from_dict(
    {
        "type": "lesson",
        "fields": {"id": "_id", "title": ["title", "{_id}"]},
        "sections": {"summary": "text"},
        "defaults": {"department": "corpus", "date": "2000-01-01"},
    },
    source="beir",
    fingerprint="beir-v1",
)


@dataclass
class ModeScores:
    mode: str
    ndcg_at_10: float
    recall_at_100: float
    queries: int
    seconds: float
    run: dict[str, list[tuple[str, float]]] = field(default_factory=dict, repr=False)


def load_queries(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle if line.strip())
        return {str(r["_id"]): r["text"] for r in rows}


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0] == "query-id":
                continue
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    return qrels


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    gains = sum(relevant.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return gains / best if best else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 100) -> float:
    wanted = {doc for doc, grade in relevant.items() if grade > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def build_index(corpus: Path, kb_dir: Path, settings: Settings) -> KnowledgeBase:
    run = run_index([corpus], Settings(**{**settings.__dict__, "kb_dir": kb_dir}), BEIR_MAPPING)
    if run.errors:
        print(f"warning: {len(run.errors)} corpus records rejected, e.g. {run.errors[0]}")
    return KnowledgeBase(Settings(**{**settings.__dict__, "kb_dir": kb_dir}))


def evaluate(kb: KnowledgeBase, queries: dict[str, str], qrels, mode: str) -> ModeScores:
    judged = [qid for qid in queries if qid in qrels]
    started = time.perf_counter()
    vectors = kb.embed_queries([queries[qid] for qid in judged]) if mode != "keyword" else None
    run, ndcgs, recalls = {}, [], []
    for i, qid in enumerate(judged):
        request = SearchRequest(queries[qid], k=100, mode=mode, with_snippets=False)
        hits = kb.run_search(request, None if vectors is None else vectors[i]).hits
        run[qid] = [(h.id, h.score) for h in hits]
        ranked = [h.id for h in hits]
        ndcgs.append(ndcg_at(ranked, qrels[qid]))
        recalls.append(recall_at(ranked, qrels[qid]))
    seconds = time.perf_counter() - started
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    return ModeScores(mode, mean(ndcgs), mean(recalls), len(judged), seconds, run)


def write_trec_run(scores: ModeScores, path: Path, tag: str = "lessonbase") -> None:
    with open(path, "w", encoding="utf-8") as out:
        for qid, ranked in scores.run.items():
            for rank, (doc_id, score) in enumerate(ranked, start=1):
                out.write(f"{qid} Q0 {doc_id} {rank} {score:.6f} {tag}-{scores.mode}\n")
