"""The index run's glossary step: mine term candidates from every document in the index.

Candidates are recomputed whenever documents changed and stored in the new generation;
editors' decisions live elsewhere (KB_DIR/glossary.sqlite) and are never touched here.
Only new or changed texts are parsed: the others' counts come from the mining cache
(`mining_cache`), and the candidates are the same as mining everything from scratch.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from indexer.mining_cache import MiningCache
from indexer.terms import SourceDocument, TermCandidate
from indexer.terms.incremental import CountedCorpus, count_incrementally
from indexer.terms.miner import MinerConfig, mine_counted, scoring_model
from indexer.terms.reference import reference_version, remember_zipf, take_looked_up
from kb.store import Store

# Candidates kept per index: the review queue shows the best first, and the long tail of
# one-off noun phrases only bloats the generation.
MAX_CANDIDATES = 5000


def corpus_documents(store: Store) -> list[SourceDocument]:
    return [
        SourceDocument(doc_id, f"{title}\n\n{body}", {"department": department})
        for _, doc_id, department, title, body in store.document_texts()
    ]


def candidate_row(candidate: TermCandidate, rank: int) -> dict:
    """A miner candidate as a `term_candidates` row."""
    return {
        "term": candidate.term,
        "display": candidate.display_form,
        "score": round(float(candidate.score), 6),
        "rank": rank,
        "accepted": candidate.accepted,
        "frequency": candidate.frequency,
        "document_frequency": candidate.document_frequency,
        "departments": dict(candidate.metadata_counts.get("department", {})),
        "variants": dict(candidate.variants),
        "acronym": candidate.acronym,
        "expansion": candidate.expansion,
        "contexts": [{"doc_id": c.doc_id, "sentence": c.sentence} for c in candidate.contexts],
        "doc_ids": sorted(candidate.doc_ids),
    }


@dataclass(frozen=True)
class GlossaryMining:
    """What the glossary step found, and how much spaCy parsing the cache saved."""

    candidates_found: int  # of which the best MAX_CANDIDATES are kept, as `rows`
    rows: list[dict] = field(repr=False)
    texts_parsed: int
    documents_reused: int
    warnings: list[str] = field(default_factory=list)  # the cache's problems; never fatal


def mine_glossary_candidates(store: Store, cache: Path | None = None, nlp=None) -> GlossaryMining:
    """Mine the store's documents and replace its candidates.

    ``cache``: the mining cache file (`mining_cache_path`); None parses every document.
    ``nlp``: the spaCy pipeline, the project's English one unless given (tests pass fakes).
    """
    mining = mine_documents(corpus_documents(store), cache, nlp)
    save_candidates(store, mining)
    return mining


def mine_documents(
    documents: list[SourceDocument], cache: Path | None = None, nlp=None
) -> GlossaryMining:
    """Candidates of a corpus, as `term_candidates` rows; reads and fills the mining cache."""
    config = MinerConfig()
    with closing(MiningCache(cache)) as mining_cache:
        reference = reference_version()
        remember_zipf(mining_cache.load_zipf(reference))
        counted = _count(documents, mining_cache, nlp)
        memo = mining_cache.load_scores(scoring_model(config).digest)
        with _collection_paused():
            result = mine_counted(documents, counted.doc_counts, config, memo)
            kept = result.candidates[:MAX_CANDIDATES]
            rows = [candidate_row(c, rank) for rank, c in enumerate(kept, 1)]
        mining_cache.save_scores(memo)
        mining_cache.save_zipf(reference, take_looked_up())
    return GlossaryMining(
        len(result.candidates),
        rows,
        counted.texts_parsed,
        counted.documents_reused,
        mining_cache.warnings,
    )


def save_candidates(store: Store, mining: GlossaryMining) -> None:
    store.replace_term_candidates(mining.rows)
    store.commit()


def _count(documents: list[SourceDocument], cache: MiningCache, nlp) -> CountedCorpus:
    if nlp is None:
        from models.nlp import load_spacy  # lazy: loading the pipeline takes a while

        nlp = load_spacy()
    return count_incrementally(documents, cache, nlp, MinerConfig())


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the counted corpus is ranked.

    Ranking allocates a few hundred thousand containers, none in a cycle, in an index process
    that holds millions more (the embedding model, spaCy), and every full collection walks
    them all: about a fifth of the corpus-wide mining time went there. Reference counting
    still frees what ranking drops. Parsing stays outside: spaCy's objects may form cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
