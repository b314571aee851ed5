"""Recurrence threshold: precision, recall and F1 of "teaches the same lesson" on labelled pairs.

    .venv/bin/python benchmarks/eval_recurrence.py [--kb DIR]

benchmarks/data/recurrence_pairs.jsonl holds 194 pairs of NASA lessons labelled by reading
them (same lesson or not, with a one-line rationale). They were sampled from each lesson's
15 nearest by words and by meaning, 20 per band of the words+meaning score (14 under 0.3),
and split by the SHA-256 of the pair into a development half and a test half. Every
method's threshold is chosen on the development half (best F1); the test half is then
scored once at that threshold. Recall is over the labelled pairs, which were drawn from
near neighbours: a recurrence neither words nor meaning put near is not counted.

Methods: `words (whole document)` (the TF-IDF cosine related lessons use,
kb.index.document_terms), `meaning` (cosine of mean chunk embeddings, of the whole document or
of its lesson sections), `lesson words` (TF-IDF cosine of the lesson sections only,
kb.index.lesson_pairs: the product) and lesson words averaged with lesson meaning.
Needs the real-model index (bench_index_nasa.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR  # noqa: E402
from figures import emit  # noqa: E402

from kb.index.lesson_pairs import LESSON_SECTIONS, LessonWords  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.settings import Settings  # noqa: E402

PAIRS = Path(__file__).resolve().parent / "data" / "recurrence_pairs.jsonl"
THRESHOLDS = [round(t, 3) for t in np.arange(0.05, 0.951, 0.025)]
PRODUCT = "lesson words (the product)"


def load_pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text().splitlines() if line.strip()]


def scorers(kb: KnowledgeBase) -> dict[str, Callable[[int, int], float]]:
    """{method: score(rowid, rowid)} from the index's term vectors and chunk embeddings."""
    store, terms = kb.store, kb.generation.document_terms
    whole, lesson = (_mean_vectors(store, s) for s in ((), LESSON_SECTIONS))
    lesson_words = LessonWords.of(store)

    def meaning(vectors: dict) -> Callable[[int, int], float]:
        return lambda a, b: float(vectors[a] @ vectors[b])

    return {
        "words (whole document)": lambda a, b: float(terms.similarities(a)[b]),
        "meaning (whole document)": meaning(whole),
        "meaning (lesson sections)": meaning(lesson),
        "lesson words + meaning": lambda a, b: (
            (lesson_words.similarity(a, b) + float(lesson[a] @ lesson[b])) / 2
        ),
        PRODUCT: lesson_words.similarity,
    }


def _mean_vectors(store, sections: tuple[str, ...]) -> dict[int, np.ndarray]:
    """{rowid: unit mean of its chunk vectors in ``sections`` (all chunks without them)}."""
    rows = store.db.conn.execute(
        "SELECT c.doc_rowid, c.section_key, e.vector FROM chunks c"
        " JOIN embeddings e USING (content_hash)"
    )
    chosen, every = defaultdict(list), defaultdict(list)
    for rowid, section, blob in rows:
        vector = np.frombuffer(blob, dtype=np.float32)
        every[rowid].append(vector)
        if section in sections:
            chosen[rowid].append(vector)
    means = {r: np.mean(chosen.get(r) or vectors, axis=0) for r, vectors in every.items()}
    return {r: m / np.linalg.norm(m) for r, m in means.items()}


def scores_of(method: Callable, pairs: list[dict], kb: KnowledgeBase) -> list[float]:
    rowid = kb.store.documents.rowid
    return [method(rowid(p["first"]), rowid(p["second"])) for p in pairs]


def figures(scores: list[float], labels: list[bool], threshold: float) -> dict:
    predicted = np.array(scores) >= threshold
    truth = np.array(labels)
    hits = int((predicted & truth).sum())
    precision = hits / predicted.sum() if predicted.sum() else 1.0
    recall = hits / truth.sum() if truth.sum() else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "precision": round(float(precision), 3),
            "recall": round(float(recall), 3), "f1": round(float(f1), 3)}  # fmt: skip


def roc_auc(scores: list[float], labels: list[bool]) -> float:
    """The chance that a same-lesson pair outscores another pair (ties count half)."""
    same = [s for s, label in zip(scores, labels, strict=True) if label]
    other = [s for s, label in zip(scores, labels, strict=True) if not label]
    wins = sum((a > b) + 0.5 * (a == b) for a in same for b in other)
    return round(wins / (len(same) * len(other)), 3)


def best_threshold(scores: list[float], labels: list[bool]) -> dict:
    """The threshold of best F1 (the higher one on a tie: fewer false recurrences)."""
    rows = [figures(scores, labels, t) for t in THRESHOLDS]
    return max(rows, key=lambda r: (r["f1"], r["threshold"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--curve", action="store_true", help="print every threshold")
    args = parser.parse_args()
    kb = KnowledgeBase(Settings(kb_dir=args.kb, progress=False))
    pairs = load_pairs()
    dev = [p for p in pairs if p["split"] == "dev"]
    test = [p for p in pairs if p["split"] == "test"]
    print(f"{len(dev)} development pairs ({sum(p['same_lesson'] for p in dev)} same lesson), "
          f"{len(test)} test pairs ({sum(p['same_lesson'] for p in test)}), {args.kb}")  # fmt: skip
    results = {}
    for name, method in scorers(kb).items():
        scores = scores_of(method, pairs, kb)
        auc = roc_auc(scores, [p["same_lesson"] for p in pairs])
        chosen = best_threshold(scores_of(method, dev, kb), [p["same_lesson"] for p in dev])
        tested = figures(scores_of(method, test, kb), [p["same_lesson"] for p in test],
                         chosen["threshold"])  # fmt: skip
        results[name] = {"dev": chosen, "test": tested, "roc_auc_all": auc}
        print(f"  {name:<28} AUC {auc:.3f}  threshold {chosen['threshold']:.3f}"
              f"  dev F1 {chosen['f1']:.3f}"
              f"  | test P {tested['precision']:.3f} R {tested['recall']:.3f}"
              f" F1 {tested['f1']:.3f}")  # fmt: skip
        if args.curve:
            print_curve(scores_of(method, dev, kb), [p["same_lesson"] for p in dev])
    report_product(results, test)


def print_curve(scores: list[float], labels: list[bool]) -> None:
    for t in THRESHOLDS:
        row = figures(scores, labels, t)
        print(f"      {t:.3f}  P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}")


def report_product(results: dict, test: list[dict]) -> None:
    """The product's threshold (kb.related.recurrence.THRESHOLD) on the test half."""
    from kb.related.recurrence import THRESHOLD

    tested = results[PRODUCT]["test"]
    if tested["threshold"] != THRESHOLD:
        print(f"Note: the development half now chooses {tested['threshold']}, "
              f"the product uses {THRESHOLD}")  # fmt: skip
    print(f"Product (lesson words, threshold {tested['threshold']}) on the test half: "
          f"precision {tested['precision']:.3f}, recall {tested['recall']:.3f}, "
          f"F1 {tested['f1']:.3f}")  # fmt: skip
    emit(
        "recurrence: same lesson, labelled NASA pairs (test half)",
        f"precision {tested['precision']:.2f}, recall {tested['recall']:.2f} at threshold "
        f"{tested['threshold']} ({len(test)} pairs)",
        section="quality",
        values={"test": tested, "methods": results},
    )


if __name__ == "__main__":
    main()
