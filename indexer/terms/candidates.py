"""Lemma groups ranked by score, and the `TermCandidate` of a group, built when read.

Ranking needs only a score and a frequency per group, so it sorts arrays; a candidate's
variants, documents, metadata counts and contexts are gathered only for the groups a
caller reads (`RankedCandidates`): the index keeps the best few thousand of tens of
thousands.

An acronym and its expansion are one candidate ("SSME" joins "space shuttle main
engine", keyed and labelled by the expansion), so editors decide on them once; groups
no editor keeps (`junk`) are left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

import numpy as np

from indexer.terms.corpus_counts import distinct, occurrences
from indexer.terms.junk import is_junk
from indexer.terms.models import CandidateSummary, RankedCandidates, TermCandidate
from indexer.terms.view import CorpusView
from indexer.terms.written import written_form


def rank_groups(
    view: CorpusView,
    group_scores: np.ndarray,
    metadata: Mapping[str, Mapping[str, str]],
    keep: int,
    threshold: float,
    min_documents: int = 1,
) -> RankedCandidates:
    """Groups best first: by score, then frequency (both descending), then alphabetically;
    ``group_scores`` is indexed like ``view.lemmas``. A candidate is above the cut-off
    when it scores ``threshold`` and occurs in ``min_documents`` documents (at most all)."""
    owner = acronym_owners(view)
    scores = np.full(len(view.lemmas), -np.inf)
    np.maximum.at(scores, owner, group_scores)
    frequency = np.bincount(owner, view.group_counts, len(view.lemmas))
    live = np.flatnonzero((owner == np.arange(len(owner))) & ~_junk_groups(view))
    lemmas, listed = view.lemmas, scores.tolist()
    alphabetical = np.empty(len(live), dtype=np.int64)
    alphabetical[sorted(range(len(live)), key=lambda i: lemmas[live[i]])] = np.arange(len(live))
    order = live[np.lexsort((alphabetical, -frequency[live], -scores[live]))].tolist()
    members = _members(owner)
    needed = min(min_documents, view.counts.n_documents)
    accepted = (scores >= threshold) & (_document_frequency(view, owner) >= needed)

    def build(position: int) -> TermCandidate:
        group = order[position]
        found = build_candidate(view, members[group], listed[group], metadata, keep)
        found.accepted = bool(accepted[group])
        return found

    def summarize(position: int) -> CandidateSummary:
        group = order[position]
        return CandidateSummary(lemmas[group], listed[group], bool(accepted[group]))

    return RankedCandidates([bool(accepted[group]) for group in order], build, summarize)


def acronym_owners(view: CorpusView) -> np.ndarray:
    """Per lemma group, the group it is shown in: an acronym's group goes to the group of
    its expansion when the expansion was counted; every other group is its own."""
    owner = np.arange(len(view.lemmas), dtype=np.int64)
    ids, groups = view.counts.ids, view.lemma_ids
    for short, expansion in view.acronyms.items():
        if short in ids and expansion in ids:
            acronym_group, expansion_group = groups[ids[short]], groups[ids[expansion]]
            if owner[expansion_group] == expansion_group:  # never chain two acronyms
                owner[acronym_group] = expansion_group
    # A group shown in one that was later shown elsewhere stays on its own: one hop only.
    chained = owner[owner] != owner
    owner[chained] = np.flatnonzero(chained)
    return owner


def _members(owner: np.ndarray) -> dict[int, list[int]]:
    """Shown group -> itself, then the acronym groups shown in it."""
    found: dict[int, list[int]] = {group: [group] for group in np.unique(owner).tolist()}
    for group, shown_in in enumerate(owner.tolist()):
        if group != shown_in:
            found[shown_in].append(group)
    return found


def _junk_groups(view: CorpusView) -> np.ndarray:
    """Per lemma group: its lemma or its first counted surface form is junk."""
    first = np.full(len(view.lemmas), -1, dtype=np.int64)
    first[view.lemma_ids[::-1]] = np.arange(len(view.lemma_ids))[::-1]
    names, firsts = view.counts.names, first.tolist()
    pairs = zip(view.lemmas, firsts, strict=True)
    return np.asarray([is_junk(lemma) or is_junk(names[s]) for lemma, s in pairs], dtype=bool)


def _document_frequency(view: CorpusView, owner: np.ndarray) -> np.ndarray:
    """Documents each shown group occurs in (its own and its acronym's surface forms)."""
    pairs = view.counts.pairs
    group = owner[view.lemma_ids[pairs.surfaces]]
    found = distinct(group * max(view.counts.n_documents, 1) + pairs.docs)
    return np.bincount(found // max(view.counts.n_documents, 1), minlength=len(owner))


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


def _written(view: CorpusView, form: str | None) -> str | None:
    return None if form is None else view.written.get(form, form)


def build_candidate(view: CorpusView, groups: list[int], score: float, metadata, keep: int):
    """The candidate of the lemma groups ``groups`` (its own first, then its acronym's)."""
    counts = view.counts
    own = view.surface_ids(groups[0])
    members = sorted(own + [i for g in groups[1:] for i in view.surface_ids(g)],
                     key=counts.names.__getitem__)  # fmt: skip
    surfaces = [counts.names[i] for i in members]
    frequencies = counts.totals["count"][members].tolist()
    doc_counts, contexts = zip(*(occurrences(counts, i) for i in members), strict=True)
    doc_ids = set().union(*(found.keys() for found in doc_counts))
    ordered = sorted((c for found in contexts for c in found), key=lambda c: (c.doc_id, c.sentence))
    main = max((counts.totals["count"][i], counts.names[i], i) for i in own)[2]  # most used
    acronym = _acronym(view, surfaces)
    return TermCandidate(
        term=view.lemmas[groups[0]],
        variants=dict(zip(surfaces, frequencies, strict=True)),
        frequency=sum(frequencies),
        document_frequency=len(doc_ids),
        doc_ids=doc_ids,
        metadata_counts=_metadata_counts(doc_counts, metadata),
        contexts=ordered[:keep],
        pos_pattern=counts.pos_patterns.counter(main).most_common(1)[0][0],
        expansion=_written(view, None if acronym else _expansion(view, surfaces)),
        acronym=_written(view, acronym),
        c_value=view.nesting.c_value[groups[0]].item(),
        score=float(score),
        label=written_form(counts, main),
    )


def _expansion(view: CorpusView, surfaces: list[str]) -> str | None:
    return next((view.acronyms[s] for s in surfaces if s in view.acronyms), None)
