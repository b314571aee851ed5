"""Related lessons on pairs of NASA lessons whose authors linked them: recall@10 and MRR.

    .venv/bin/python benchmarks/bench_related_pairs.py [--kb DIR] [--split dev|test|all]

A pair is two lessons of the export where one names the other: by number ("LLIS #0903",
"Lesson Learned No. 1201", an llis.nasa.gov address) or by its full title (five words or
more). Pairs go to the test split when the first byte of the SHA-256 of the lower lesson
number is divisible by 4, else to dev; methods are tuned on dev only. Each pair is asked both
ways: is the partner in the related top 10 of the other (own department included, as
`kb related --same-department` lists them), and at which rank (MRR over the top 10).

Methods: `meaning` is the ranking before issue #20 (chunk-to-chunk embeddings only);
`words` the document TF-IDF vectors alone; `words+meaning` both; `words+meaning+names`
(the product) also puts a lesson that names the other first. Since these pairs were found
by names, that last figure is optimistic; `words+meaning` is the one that does not know
how the pairs were made. Baselines: scikit-learn's TF-IDF cosine over whole documents (raw
and sublinear term frequency). Needs the real-model index (bench_index_nasa.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, NASA  # noqa: E402
from figures import emit, met  # noqa: E402

from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.related import RelatedSources, related_lessons  # noqa: E402
from kb.settings import Settings  # noqa: E402

K = 10
TARGET = 0.90
SECTIONS = ("abstract_text", "driving_event_text", "lesson_text", "recommendation_text")
REFERENCE = re.compile(
    r"(?i)(?:\b(?:llis|lessons?(?: learned)?|nen)\s*(?:number|no\.)?\s*#?\s*|llis/|/lesson/)"
    r"0*(\d{2,5})\b(?![-.]\d)((?:\s*(?:,|and|&)\s*#\s*0*\d{2,5}\b)*)"
)


def linked_pairs(lessons: list[dict]) -> list[tuple[str, str]]:
    """(lower, higher) lesson numbers of the pairs where one lesson names the other."""
    numbers = {lesson["lesson_number"] for lesson in lessons}
    pairs = set()
    for lesson in lessons:
        text = " ".join(lesson[s] for s in SECTIONS)
        for match in REFERENCE.finditer(text):
            for cited in [match.group(1), *re.findall(r"#\s*0*(\d+)", match.group(2))]:
                pairs.add(_pair(lesson["lesson_number"], cited, numbers))
    bodies = {x["lesson_number"]: f" {_words(' '.join(x[s] for s in SECTIONS))} " for x in lessons}
    for lesson in lessons:
        title = _words(lesson["title"])
        if len(title.split()) >= 5:
            for number, body in bodies.items():
                if f" {title} " in body:
                    pairs.add(_pair(lesson["lesson_number"], number, numbers))
    return sorted(p for p in pairs if p)


def _pair(a: str, b: str, numbers: set[str]) -> tuple[str, str] | None:
    if a == b or a not in numbers or b not in numbers:
        return None
    return tuple(sorted((a, b), key=int))


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def split_of(pair: tuple[str, str]) -> str:
    return "test" if hashlib.sha256(pair[0].encode()).digest()[0] % 4 == 0 else "dev"


def evaluate(rank: Callable[[str], list[str]], pairs: list[tuple[str, str]]) -> dict:
    """Recall@K and MRR@K over both directions of every pair."""
    hits, reciprocal, asked = 0, 0.0, 0
    for a, b in pairs:
        for source, partner in ((a, b), (b, a)):
            ranked = rank(f"llis-{source}")[:K]
            asked += 1
            if f"llis-{partner}" in ranked:
                hits += 1
                reciprocal += 1 / (ranked.index(f"llis-{partner}") + 1)
    return {"recall_at_10": round(hits / asked, 3), "mrr": round(reciprocal / asked, 3),
            "queries": asked}  # fmt: skip


def product_ranking(kb: KnowledgeBase, words: bool, names: bool) -> Callable[[str], list[str]]:
    gen = kb.generation
    terms = gen.document_terms if words else None
    sources = RelatedSources(gen.store, gen.vectors, terms, names_first=names)
    return lambda doc_id: [r.id for r in related_lessons(sources, doc_id, K, True) or []]


def words_only(kb: KnowledgeBase) -> Callable[[str], list[str]]:
    store, terms = kb.store, kb.generation.document_terms
    ids = {row[0]: row[1] for row in store.db.conn.execute("SELECT rowid, id FROM documents")}

    def rank(doc_id: str) -> list[str]:
        scores = terms.similarities(store.documents.rowid(doc_id))
        return [ids[r] for r in scores.argsort()[::-1][:K].tolist() if scores[r] > 0]

    return rank


def tfidf_baseline(sublinear: bool) -> Callable[[str], list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    lessons = [json.loads(line) for line in NASA.read_text().splitlines()]
    ids = [f"llis-{x['lesson_number']}" for x in lessons]
    texts = [" ".join([x["title"], *(x[s] for s in SECTIONS)]) for x in lessons]
    matrix = TfidfVectorizer(sublinear_tf=sublinear).fit_transform(texts)
    position = {doc_id: i for i, doc_id in enumerate(ids)}

    def rank(doc_id: str) -> list[str]:
        scores = (matrix @ matrix[position[doc_id]].T).toarray().ravel()
        scores[position[doc_id]] = -1
        return [ids[i] for i in scores.argsort()[::-1][:K].tolist()]

    return rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    args = parser.parse_args()
    lessons = [json.loads(line) for line in NASA.read_text().splitlines()]
    pairs = [p for p in linked_pairs(lessons) if args.split in ("all", split_of(p))]
    kb = KnowledgeBase(Settings(kb_dir=args.kb, progress=False))
    if kb.generation.document_terms is None:
        sys.exit(f"{args.kb}: no document term vectors; run `kb index` with this version first")
    methods = {
        "meaning": product_ranking(kb, words=False, names=False),
        "words": words_only(kb),
        "words+meaning": product_ranking(kb, words=True, names=False),
        "words+meaning+names": product_ranking(kb, words=True, names=True),
        "tfidf (raw tf)": tfidf_baseline(sublinear=False),
        "tfidf (sublinear tf)": tfidf_baseline(sublinear=True),
    }
    print(f"Related lessons on {len(pairs)} {args.split} pairs of linked NASA lessons, {args.kb}")
    results = {}
    for name, rank in methods.items():
        results[name] = evaluate(rank, pairs)
        print(f"  {name:<22} recall@10 {results[name]['recall_at_10']:.3f}"
              f"  MRR {results[name]['mrr']:.3f}  ({results[name]['queries']} queries)")  # fmt: skip
    emit_figures(results, args.split, len(pairs))


def emit_figures(results: dict, split: str, pairs: int) -> None:
    product, before = results["words+meaning+names"], results["meaning"]
    emit(
        f"related lessons: partner in top 10, {split} pairs of linked NASA lessons",
        f"recall@10 {product['recall_at_10']:.2f} (words and meaning without names "
        f"{results['words+meaning']['recall_at_10']:.2f}; meaning alone, before, "
        f"{before['recall_at_10']:.2f}), MRR {product['mrr']:.2f} ({pairs} pairs)",
        target=f">= {TARGET} ({met(product['recall_at_10'] >= TARGET)})",
        section="quality",
        values={"split": split, "pairs": pairs, **results},
    )


if __name__ == "__main__":
    main()
