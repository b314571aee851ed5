"""Candidates as one viewer may see them: only from the documents they may read.

The miner stores each candidate's counts, contexts and documents over the whole corpus. A
viewer who cannot read every document sees a candidate only if a document they may read
uses it, with its contexts and documents cut to those, and its counts (occurrences per
department and per written form, documents) counted again over those documents' texts, so
that no number reveals an unreadable document. A candidate whose documents are all
readable keeps the miner's counts as stored.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from kb.glossary.contested_context import words
from kb.glossary.model import Candidate
from kb.index.candidates import Access
from kb.index.store import Store


def forms_pattern(forms: list[tuple[str, ...]]) -> re.Pattern:
    """One pattern matching any of `forms` (word sequences) as whole words in a casefolded
    text, group n+1 for form n: a scan in C, where splitting every text into words took
    0.6 ms a NASA lesson (a queue page of frequent terms reads hundreds)."""
    alternatives = "|".join(f"({NOT_WORD.join(map(re.escape, form))})" for form in forms)
    return re.compile(rf"(?<![\w'-])(?:{alternatives})(?![\w'-])")


NOT_WORD = r"[^\w]+"


def recounted(candidate: Candidate, texts: dict[str, tuple[str, tuple]]) -> Candidate:
    """`candidate` over the documents of `texts` ({id: (department, casefolded text)})
    only."""
    kept = [doc_id for doc_id in candidate.doc_ids if doc_id in texts]
    forms: dict[tuple[str, ...], str] = {}
    for form in candidate.surface_forms:  # most frequent first: it names a merged spelling
        forms.setdefault(tuple(words(form)), form)
    forms.pop((), None)
    shown = list(forms.values())
    pattern = forms_pattern(list(forms)) if forms else None
    variants: Counter[str] = Counter()
    departments: Counter[str] = Counter()
    for doc_id in kept:
        department, text = texts[doc_id]
        found = (
            Counter(shown[m.lastindex - 1] for m in pattern.finditer(text))
            if pattern
            else Counter()
        )
        found = found or Counter({candidate.display: 1})  # the miner matched a lemma here
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


def cut(candidate: Candidate, readable: dict[str, tuple[str, str]]) -> Candidate:
    """`candidate` with only its readable documents and contexts, and per department the
    number of those documents: what ranking contested terms reads of it (no recount)."""
    kept = [doc_id for doc_id in candidate.doc_ids if doc_id in readable]
    return replace(
        candidate,
        document_frequency=len(kept),
        departments=dict(Counter(readable[doc_id][1] for doc_id in kept)),
        contexts=tuple(c for c in candidate.contexts if c.doc_id in readable),
        doc_ids=tuple(kept),
    )


def readable_candidates(
    store: Store, access: Access | None, candidates: list[Candidate], recount: bool = True
) -> list[Candidate]:
    """Those of `candidates` a document passing `access` uses, as that viewer sees them;
    without `recount`, their counts are cut (`cut`), not counted again."""
    if access is None:
        return candidates
    doc_ids = sorted({doc_id for c in candidates for doc_id in c.doc_ids})
    readable = store.candidates.readable(doc_ids, access)
    partial = {c.term for c in candidates if not readable.keys() >= set(c.doc_ids)}
    texts = _texts(store, readable, candidates, partial) if recount else {}
    shown = []
    for candidate in candidates:
        if not any(doc_id in readable for doc_id in candidate.doc_ids):
            continue  # mined only from documents this viewer may not read
        if candidate.term not in partial:
            shown.append(candidate)
        else:
            shown.append(recounted(candidate, texts) if recount else cut(candidate, readable))
    return shown


def _texts(store: Store, readable: dict, candidates: list[Candidate], partial: set[str]) -> dict:
    """{id: (department, casefolded text)} of the readable documents of the `partial`
    candidates: each text read once, however many candidates it has."""
    wanted = {d for c in candidates if c.term in partial for d in c.doc_ids if d in readable}
    texts = store.candidates.texts(sorted(wanted)) if wanted else {}
    out = {doc_id: (department, text.casefold()) for doc_id, (department, text) in texts.items()}
    out.update({d: (readable[d][1], "") for d in wanted - out.keys()})  # no sections
    return out
