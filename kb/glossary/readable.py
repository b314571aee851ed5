"""Candidates as one viewer may see them: only from the documents they may read.

The miner stores each candidate's counts, contexts and documents over the whole corpus. A
viewer who cannot read every document sees a candidate only if a document they may read
uses it, with its contexts and documents cut to those, and its counts (occurrences per
department and per written form, documents) counted again over those documents' texts, so
that no number reveals an unreadable document. A candidate whose documents are all
readable keeps the miner's counts as stored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from kb.glossary.contested_context import sentence_words, words
from kb.glossary.model import Candidate
from kb.index.candidates import Access
from kb.index.store import Store


def occurrences(tokens: list[str], form: tuple[str, ...]) -> int:
    """How many times the word sequence `form` is in `tokens`."""
    size = len(form)
    return sum(
        1
        for start, token in enumerate(tokens)
        if token == form[0] and tuple(tokens[start : start + size]) == form
    )


def recounted(candidate: Candidate, texts: dict[str, tuple[str, str]]) -> Candidate:
    """`candidate` over the documents of `texts` ({id: (department, text)}) only."""
    kept = [doc_id for doc_id in candidate.doc_ids if doc_id in texts]
    forms: dict[tuple[str, ...], str] = {}
    for form in candidate.surface_forms:  # most frequent first: it names a merged spelling
        forms.setdefault(tuple(words(form)), form)
    forms.pop((), None)
    variants: Counter[str] = Counter()
    departments: Counter[str] = Counter()
    for doc_id in kept:
        department, text = texts[doc_id]
        tokens = sentence_words(text)
        found = Counter({shown: occurrences(tokens, seq) for seq, shown in forms.items()})
        found = +found or Counter({candidate.display: 1})  # the miner matched a lemma here
        variants.update(found)
        departments[department] += sum(found.values())
    return replace(
        candidate,
        frequency=sum(variants.values()),
        document_frequency=len(kept),
        departments=dict(departments),
        variants=dict(variants),
        contexts=tuple(c for c in candidate.contexts if c.doc_id in texts),
        doc_ids=tuple(kept),
    )


def readable_candidates(
    store: Store, access: Access | None, candidates: list[Candidate]
) -> list[Candidate]:
    """Those of `candidates` a document passing `access` uses, as that viewer sees them."""
    if access is None:
        return candidates
    doc_ids = sorted({doc_id for c in candidates for doc_id in c.doc_ids})
    readable = store.candidates.readable(doc_ids, access)
    partial = {c.term for c in candidates if not readable.keys() >= set(c.doc_ids)}
    wanted = {d for c in candidates if c.term in partial for d in c.doc_ids if d in readable}
    texts = store.candidates.texts(sorted(wanted)) if wanted else {}
    texts.update({d: (readable[d][1], "") for d in wanted - texts.keys()})  # no sections
    shown = []
    for candidate in candidates:
        if not any(doc_id in readable for doc_id in candidate.doc_ids):
            continue  # mined only from documents this viewer may not read
        shown.append(recounted(candidate, texts) if candidate.term in partial else candidate)
    return shown
