"""Writing a generation: the derived indexes (term statistics, vectors, keyword postings,
document term vectors, lesson pairs), compaction, and the manifest.

Each derived index either follows the changes the run made to the live generation's copy
(`Store.changes`), or, without a live generation to start from (a first or clean build, a
new model), is built from every document and chunk. Both give what a build from scratch
gives; the tests hold them equal.
"""

from __future__ import annotations

import time
from pathlib import Path

from kb.documents.schema import SCHEMA_VERSION
from kb.index.document_terms import DOCUMENT_TERMS_NAME, build_document_terms
from kb.index.generations import VECTORS_NAME, Manifest
from kb.index.keywords import KEYWORDS_NAME, build_postings
from kb.index.lesson_pairs import LESSON_PAIRS_NAME, build_lesson_pairs
from kb.index.store import Store
from kb.index.vectors import VectorIndex, build_vector_index, load_vector_index
from kb.text.statistics import document_frequencies
from models import Embedder

# A database with more free pages than this share of its pages is compacted (VACUUM).
VACUUM_FREE_SHARE = 0.25


def write_generation(
    store: Store,
    temp: Path,
    embedder: Embedder,
    number: int,
    live: tuple[Path, Manifest] | None,
) -> Manifest:
    """The derived indexes and the manifest; from ``live`` (the live generation, whose
    database this run copied, and its manifest) those that follow its changes, else afresh.
    Closes ``store``."""
    previous, previous_manifest = live or (None, None)
    counts = store.counts()  # writing the derived indexes changes none of these
    _write_term_stats(store, previous_manifest)
    store.commit()
    index = _vector_index(store, previous, embedder.dimension, counts["chunks"])
    index.save(temp / VECTORS_NAME)
    keywords = previous / KEYWORDS_NAME if previous is not None else None
    postings = build_postings(store, keywords)
    postings.save(temp / KEYWORDS_NAME)
    build_document_terms(store, postings).save(temp / DOCUMENT_TERMS_NAME)
    build_lesson_pairs(store).save(temp / LESSON_PAIRS_NAME)  # 0.3 s for 1,292 NASA lessons
    store.commit()
    store.compact_if_sparse(VACUUM_FREE_SHARE)
    store.close()
    manifest = Manifest(
        schema_version=SCHEMA_VERSION,
        embedder=embedder.backend,
        model=embedder.model,
        dimension=embedder.dimension,
        backend=getattr(embedder, "embedding_backend", "torch"),
        counts=counts,
        generation=number,
        created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        vector_index=index.kind,
        keyword_index="postings",
        term_stats="all",
        document_terms=True,
        lesson_pairs=True,
    )
    manifest.write(temp)
    return manifest


def _write_term_stats(store: Store, previous: Manifest | None) -> None:
    if previous is not None and previous.term_stats == "all":
        store.term_stats.change(store.changes.term_deltas(store.documents.statistics_text))
    else:
        store.term_stats.replace(document_frequencies(store.documents.statistics_texts()))


def _vector_index(store: Store, previous: Path | None, dimension: int, total: int) -> VectorIndex:
    """The live generation's index with this run's chunks removed and added, while it suits
    the new size (``total`` chunks); else one built from every vector."""
    if previous is not None and (previous / VECTORS_NAME).exists():
        index = load_vector_index(previous / VECTORS_NAME)
        if index.dimension == dimension and index.suits(total):
            ids, vectors = store.embeddings.of_chunks(store.changes.added_chunks)
            index.update(store.changes.removed_chunks, ids, vectors)
            if len(index) == total:  # else something is off: build afresh
                return index
    ids, vectors = store.embeddings.of_all_chunks()
    return build_vector_index(ids, vectors, dimension)
