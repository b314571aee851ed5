"""`mine(rows, cache)`: the candidate table of an index's documents, mined incrementally.

Candidates are recomputed whenever documents changed and stored in the new generation;
editors' decisions live elsewhere (the state database) and are never touched here.
Only new or changed texts are parsed: the others' counts come from the mining cache
(`cache`), and only the rows of candidates whose documents changed are built again
(`reuse`); the table is the same as mining everything from scratch.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from indexer.terms.cache import MiningCache
from indexer.terms.config import MinerConfig
from indexer.terms.incremental import count_incrementally, counting_fingerprint
from indexer.terms.miner import mine_counted, scoring_model
from indexer.terms.models import MiningResult, SourceDocument, TermCandidate
from indexer.terms.names import name_terms
from indexer.terms.reference import reference_version, remember_zipf, take_looked_up
from indexer.terms.reuse import (
    CandidateTable,
    CorpusRow,
    DocumentChanges,
    MiningBasis,
    StoredCandidates,
    basis_settings,
    document_key,
    reusable_terms,
    touched_surfaces,
)
from kb.collector import collector_paused

# Candidates kept per index: the review queue shows the best first, and the long tail of
# one-off noun phrases only bloats the generation.
MAX_CANDIDATES = 5000
# A candidate of an index passes the cut-off only when at least this many of its documents
# use it: on NASA's 1,292 lessons the model's own cut keeps 15,038 terms, every one of the
# 5,000 kept rows, and one-lesson names ("stalnaker", "emelle") crowd the queue's top.
REVIEW_MIN_DOCUMENTS = 2


def stored_score(score: float) -> float:
    """A score as a `term_candidates` row holds it, built anew or kept and re-scored."""
    return round(float(score), 6)


def candidate_row(candidate: TermCandidate, rank: int, accepted: bool | None = None) -> dict:
    """A miner candidate as a `term_candidates` row (``accepted``: overrides its own)."""
    return {
        "term": candidate.term,
        "display": candidate.display_form,
        "score": stored_score(candidate.score),
        "rank": rank,
        "accepted": candidate.accepted if accepted is None else accepted,
        "frequency": candidate.frequency,
        "document_frequency": candidate.document_frequency,
        "departments": dict(candidate.metadata_counts.get("department", {})),
        "variants": dict(candidate.variants),
        "acronym": candidate.acronym,
        "expansion": candidate.expansion,
        "contexts": [{"doc_id": c.doc_id, "sentence": c.sentence} for c in candidate.contexts],
        "doc_ids": sorted(candidate.doc_ids),
    }


def mine(
    rows: list[CorpusRow],
    cache: Path | None,
    stored: StoredCandidates | None = None,
    *,
    nlp=None,
    still_wanted: Callable[[], bool] | None = None,
    entities=None,
) -> CandidateTable:
    """The candidates of the corpus ``rows`` (`corpus_rows`) as `term_candidates` rows;
    reads and fills the mining cache at ``cache`` (None: keep nothing).

    ``stored``: the rows the index holds; those whose documents did not change are kept.
    ``nlp``: the spaCy pipeline (default: `mining_pipeline`). ``still_wanted``: asked
    before each write to the cache (`MiningCache`). ``entities``: the pipeline that tells
    people and places (`names`; default: `entity_pipeline`), put below the cut-off.
    """
    config = MinerConfig(min_documents=REVIEW_MIN_DOCUMENTS)
    if nlp is None:
        from indexer.terms.spacy_pipeline import mining_pipeline  # loading takes a while

        nlp = mining_pipeline()
    if entities is None:
        from indexer.terms.spacy_pipeline import entity_pipeline

        entities = entity_pipeline()
    documents = [SourceDocument(*row) for row in rows]
    keys = [document_key(document) for document in documents]
    fingerprint = counting_fingerprint(nlp, config)
    settings = basis_settings(fingerprint, config.contexts_per_term)
    # The collector paused (kb.collector): every full collection walked the index process's
    # millions of objects, about a fifth of ranking's time (1.4 s of NASA's 35 s mining).
    with closing(MiningCache(cache, still_wanted)) as mining_cache, collector_paused():
        reference = reference_version()
        remember_zipf(mining_cache.load_zipf(reference))
        reuse = _Reuse.prepare(stored, fingerprint, settings, keys, mining_cache)
        digests = [digest for _, digest, _ in keys]  # each text hashed once
        counted = count_incrementally(documents, mining_cache, nlp, config, digests)
        memo = mining_cache.load_scores(scoring_model(config).digest)
        result = mine_counted(documents, counted.doc_counts, config, memo)
        reusable = reuse.terms(result, counted.doc_counts) if reuse else set()
        names = name_terms(result.view, _queued(result), entities)
        built, rescored = _rows(result, reusable, names)
        mining_cache.save_scores(memo)
        mining_cache.save_zipf(reference, take_looked_up())
    basis = MiningBasis(settings, keys, dict(result.view.acronyms))
    return CandidateTable(
        len(result.candidates), built, counted.texts_parsed, counted.documents_reused,
        mining_cache.warnings, rescored if reuse else None, basis,
    )  # fmt: skip


def _queued(result: MiningResult) -> list[str]:
    """The terms of the rows kept that are above the cut-off."""
    summaries = map(result.candidates.summary, range(min(len(result.candidates), MAX_CANDIDATES)))
    return [summary.term for summary in summaries if summary.accepted]


def _rows(
    result: MiningResult, reusable: set[str], names: set[str]
) -> tuple[list[dict], list[tuple]]:
    """Rows built in full, and the (score, rank, accepted, term) of reusable ones; the
    terms in ``names`` are below the cut-off."""
    rows, rescored = [], []
    for rank in range(1, min(len(result.candidates), MAX_CANDIDATES) + 1):
        summary = result.candidates.summary(rank - 1)
        accepted = summary.accepted and summary.term not in names
        if summary.term in reusable:
            rescored.append((stored_score(summary.score), rank, accepted, summary.term))
        else:
            rows.append(candidate_row(result.candidates[rank - 1], rank, accepted))
    return rows, rescored


@dataclass(frozen=True)
class _Reuse:
    """What a mining needs to tell which stored rows stay: the stored rows, the documents
    that changed since, and the counts of those removed (read before the cache drops them)."""

    stored: StoredCandidates
    changes: DocumentChanges
    removed_counts: list

    @classmethod
    def prepare(cls, stored, fingerprint: str, settings: str, keys: list, cache: MiningCache):
        """None when every row must be built; call before counting, which prunes the cache."""
        if stored is None or stored.basis.settings != settings:
            return None  # no rows to keep, or rows counted another way: build them all
        changes = DocumentChanges.between(stored.basis, keys)
        wanted = changes.removed_digests
        removed = cache.load(fingerprint, wanted) if wanted else {}
        if len(removed) < len(wanted):
            return None  # a removed text's counts are gone: its surface forms are unknown
        return cls(stored, changes, list(removed.values()))

    def terms(self, result: MiningResult, doc_counts: list) -> set[str]:
        added = [doc_counts[position] for position in self.changes.added]
        view = result.view
        touched = touched_surfaces(added + self.removed_counts, self.stored.basis.acronyms,
                                   view.acronyms)  # fmt: skip
        return reusable_terms(self.stored, view, touched)
