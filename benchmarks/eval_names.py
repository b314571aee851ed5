"""How well person names are found and hidden on the example corpus, against the names
labelled by hand in benchmarks/data/example_names.json; and what finding them costs.

    .venv/bin/python benchmarks/eval_names.py [--corpus DIR] [--kb DIR]
    .venv/bin/python benchmarks/eval_names.py --nasa    # the cost on NASA lessons (no labels)

Indexes the corpus with the fake embedder and no glossary mining, so the "names" phase is
spaCy's only work, then prints:
- spaCy's recall: labelled names that its recognizer marks as PERSON entities, as is;
- stored recall and precision: labelled names written in a document's text that the index
  stored for it (spaCy's entities, filtered and completed by indexer.people), and stored
  names that are labelled ones;
- hidden: labelled names that no longer appear in a document's text once masked as a
  reader outside its department sees it (the recognizer's names and the people fields);
- the seconds of the names phase.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import NASA, NASA_MAPPING, REPO, percentile  # noqa: E402

from indexer import IndexRun, run_index  # noqa: E402
from indexer.terms.spacy_pipeline import entity_pipeline  # noqa: E402
from kb.access import Viewer  # noqa: E402
from kb.documents.mapping import IDENTITY, Mapping  # noqa: E402
from kb.index.generations import DB_NAME, current_generation  # noqa: E402
from kb.index.store import Store  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.redaction import NameMask  # noqa: E402
from kb.search import SearchRequest  # noqa: E402
from kb.settings import Settings  # noqa: E402

LABELS = REPO / "benchmarks" / "data" / "example_names.json"


def build(corpus: Path, kb_dir: Path, mapping: Mapping = IDENTITY, names=True) -> IndexRun:
    settings = Settings(
        kb_dir=kb_dir,
        embedder="fake",
        progress=False,
        glossary_mining=False,
        redact_names_outside_department=names,
    )
    return run_index([corpus], settings, mapping, rebuild=True)


def nasa_cost(kb_dir: Path) -> None:
    """The names phase on NASA lessons, and the whole fake-embedder run without it."""
    without = build(NASA, kb_dir, Mapping.load(NASA_MAPPING), names=False)
    run = build(NASA, kb_dir, Mapping.load(NASA_MAPPING))
    store = Store(current_generation(kb_dir) / DB_NAME, read_only=True)
    chars = sum(len(text) for text in store.documents.statistics_texts())
    found = store.person_names.people(
        [row[0] for row in store.db.conn.execute("SELECT id FROM documents")]
    )
    names = sorted({n for people in found.values() for n in people.text_names or ()})
    store.close()
    seconds = run.phase_seconds["names"]
    print(f"NASA lessons: {run.documents_total} documents, {chars:,} characters")
    print(f"  names phase            {seconds:.1f} s ({chars / seconds:,.0f} characters/s)")
    print(f"  run without it         {without.seconds:.1f} s (fake embedder, no mining)")
    print(f"  run with it            {run.seconds:.1f} s")
    sample = ", ".join(names[:: max(1, len(names) // 25)])
    print(f"  distinct names stored  {len(names)}; a sample: {sample}")
    for redact in (False, True):
        settings = dataclasses.replace(run_settings(kb_dir), redact_names_outside_department=redact)
        p50 = search_p50(settings) * 1000
        print(f"  search p50, anonymous, redaction {'on' if redact else 'off'}: {p50:.2f} ms")


def run_settings(kb_dir: Path) -> Settings:
    return Settings(kb_dir=kb_dir, embedder="fake", progress=False, default_sensitivity="public")


def search_p50(settings: Settings) -> float:
    """Median seconds of a keyword search of 10 hits as an anonymous visitor, in process."""
    kb = KnowledgeBase(settings)
    times = []
    for query in SEARCHES * 10:
        request = SearchRequest(query, 10, mode="keyword", viewer=Viewer.anonymous())
        started = time.perf_counter()
        kb.run_search(request)
        times.append(time.perf_counter() - started)
    return percentile(times, 50)


SEARCHES = ["battery failure", "contamination", "software review", "test anomaly", "schedule"]


def score(store: Store, labels: dict[str, list[str]]) -> dict:
    people = store.person_names.people(list(labels))
    found = correct = stored = hidden = total = 0
    for doc_id, names in labels.items():
        text = store.documents.statistics_text(store.documents.rowid(doc_id))
        mine = set(people[doc_id].text_names or ())
        masked = NameMask(people[doc_id]).text(text)
        total += len(names)
        found += len(set(names) & mine)
        stored += len(mine)
        correct += len(mine & set(names))
        hidden += sum(not _written(name, masked) for name in names)
    return {
        "labelled": total,
        "spacy_person_recall": spacy_recall(store, labels),
        "stored_recall": found / total,
        "stored_precision": correct / max(1, stored),
        "stored_names": stored,
        "hidden_share": hidden / total,
    }


def spacy_recall(store: Store, labels: dict[str, list[str]]) -> float:
    """The share of labelled names spaCy's recognizer marks PERSON, with no filter."""
    entities = entity_pipeline()
    found = total = 0
    for doc_id, names in labels.items():
        doc = entities(store.documents.statistics_text(store.documents.rowid(doc_id)))
        people = {_POSSESSIVE.sub("", e.text) for e in doc.ents if e.label_ == "PERSON"}
        found += len(set(names) & people)
        total += len(names)
    return found / total


_POSSESSIVE = re.compile(r"['’]s$")


def _written(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "examples" / "corpus")
    parser.add_argument("--kb", type=Path, default=None)
    parser.add_argument("--nasa", action="store_true", help="time the names phase on NASA")
    args = parser.parse_args()
    if args.nasa:
        with tempfile.TemporaryDirectory(prefix="kb-names-") as scratch:
            return nasa_cost(args.kb or Path(scratch) / "kb")
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["documents"]
    with tempfile.TemporaryDirectory(prefix="kb-names-") as scratch:
        kb_dir = args.kb or Path(scratch) / "kb"
        seconds = build(args.corpus, kb_dir).phase_seconds.get("names", 0.0)
        store = Store(current_generation(kb_dir) / DB_NAME, read_only=True)
        figures = score(store, labels)
        store.close()
    print(f"Person names on {args.corpus} ({figures['labelled']} labelled mentions)")
    for name, value in {**figures, "names_phase_seconds": seconds}.items():
        print(f"  {name:<22} {value:.3f}" if isinstance(value, float) else f"  {name:<22} {value}")


if __name__ == "__main__":
    main()
