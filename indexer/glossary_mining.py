"""The index run's glossary step: mine term candidates from every document in the index.

Candidates are recomputed whenever documents changed and stored in the new generation;
editors' decisions live elsewhere (KB_DIR/glossary.sqlite) and are never touched here.
"""

from __future__ import annotations

from indexer.terms import MiningResult, SourceDocument, TermCandidate, mine_terms
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


def mine_glossary_candidates(store: Store) -> MiningResult:
    """Mine the store's documents and replace its candidates; returns what the miner found."""
    result = mine_terms(corpus_documents(store))
    rows = [candidate_row(c, rank) for rank, c in enumerate(result.candidates[:MAX_CANDIDATES], 1)]
    store.replace_term_candidates(rows)
    store.commit()
    return result
