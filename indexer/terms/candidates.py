"""Lemma groups ranked by score, and the `TermCandidate` of a group, built when read.

Ranking needs only a score and a frequency per group, so it sorts arrays; a candidate's
variants, documents, metadata counts and contexts are gathered only for the groups a
caller reads (`RankedCandidates`): the index keeps the best few thousand of tens of
thousands.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

import numpy as np

from indexer.terms.corpus_counts import occurrences
from indexer.terms.models import CandidateSummary, RankedCandidates, TermCandidate
from indexer.terms.view import CorpusView


def rank_groups(
    view: CorpusView,
    group_scores: np.ndarray,
    metadata: Mapping[str, Mapping[str, str]],
    keep: int,
    threshold: float,
) -> RankedCandidates:
    """Groups best first: by score, then frequency (both descending), then alphabetically;
    ``group_scores`` is indexed like ``view.lemmas``."""
    lemmas, scores = view.lemmas, group_scores.tolist()
    alphabetical = np.empty(len(lemmas), dtype=np.int64)
    alphabetical[sorted(range(len(lemmas)), key=lemmas.__getitem__)] = np.arange(len(lemmas))
    order = np.lexsort((alphabetical, -view.group_counts, -group_scores)).tolist()

    def build(position: int) -> TermCandidate:
        group = order[position]
        return build_candidate(view, group, scores[group], metadata, keep, threshold)

    def summarize(position: int) -> CandidateSummary:
        group = order[position]
        return CandidateSummary(lemmas[group], scores[group], scores[group] >= threshold)

    accepted = [scores[group] >= threshold for group in order]
    return RankedCandidates(accepted, build, summarize)


def _metadata_counts(doc_counts: list[Counter], metadata) -> dict:
    """metadata key -> value -> occurrences, e.g. {"department": {"Ops": 4, "IT": 1}}."""
    result: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for surface_doc_counts in doc_counts:
        for doc_id, n in surface_doc_counts.items():
            for key, value in metadata.get(doc_id, {}).items():
                result[key][value] += n
    return {key: dict(sorted(values.items())) for key, values in sorted(result.items())}


def _acronym(view: CorpusView, surfaces: list[str]) -> str | None:
    """The first acronym (in ``view.acronyms``) that one of ``surfaces`` expands."""
    found = [view.first_acronyms[s] for s in surfaces if s in view.first_acronyms]
    return min(found)[1] if found else None


def build_candidate(view: CorpusView, group: int, score: float, metadata, keep: int, threshold):
    """The candidate of the lemma group at ``group`` in ``view.lemmas``."""
    counts = view.counts
    members = sorted(view.surface_ids(group), key=counts.names.__getitem__)
    surfaces = [counts.names[i] for i in members]
    frequencies = counts.totals["count"][members].tolist()
    doc_counts, contexts = zip(*(occurrences(counts, i) for i in members), strict=True)
    doc_ids = set().union(*(found.keys() for found in doc_counts))
    ordered = sorted((c for found in contexts for c in found), key=lambda c: (c.doc_id, c.sentence))
    main = max(zip(frequencies, surfaces, members, strict=True))[2]  # most frequent form
    return TermCandidate(
        term=view.lemmas[group],
        variants=dict(zip(surfaces, frequencies, strict=True)),
        frequency=sum(frequencies),
        document_frequency=len(doc_ids),
        doc_ids=doc_ids,
        metadata_counts=_metadata_counts(doc_counts, metadata),
        contexts=ordered[:keep],
        pos_pattern=counts.pos_patterns.counter(main).most_common(1)[0][0],
        expansion=next((view.acronyms[s] for s in surfaces if s in view.acronyms), None),
        acronym=_acronym(view, surfaces),
        c_value=view.nesting.c_value[group].item(),
        score=float(score),
        accepted=score >= threshold,
    )
