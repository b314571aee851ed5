"""The evidence contested terms are judged on, kept per document at index time, so that a
viewer who may not read every document gets the terms judged on the readable ones without
any text being read again.

Ranking the terms over the whole index (kb.glossary.contested.rank_contested) reads every
document once; what it finds there for each candidate, the words around it and the runs
that tell a quoted passage (`Occurrences`), depends on that document alone. So does each
document's part of the `Background`: whether it carries a word, writes it capitalised,
writes it in lower case (only for the words some context holds: no other is ever weighed).
A viewer's view adds up these rows over the readable documents: what reading the readable
texts again gives, where that took 6.5 s on the NASA index for each access rule.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kb.collector import collector_paused
from kb.glossary.contested_context import (
    CAPITALISED,
    LOWER,
    Background,
    Occurrences,
    sentence_words,
)
from kb.glossary.model import Candidate
from kb.index.candidates import Access
from kb.index.store import Store


@dataclass
class ReadableEvidence:
    """The kept evidence of the readable documents: what `Corpus` holds, and the
    (term, display) of the candidates that could be contested on it."""

    terms: list[tuple[str, str]]
    found: dict[str, dict[str, Occurrences]]
    departments: dict[str, str]  # doc id -> department, of every readable document
    background: Background


def keep_evidence(
    store: Store,
    candidates: list[Candidate],
    found: dict[str, dict[str, Occurrences]],
    documents: Iterable[tuple[str, str, str]],
) -> None:
    """Store each candidate's evidence per document (`found`, as Corpus.read found it) and
    each of `documents`' flags for the words the evidence holds (a second pass over them:
    keeping every document's words through the first would hold the corpus in memory)."""
    rows = [_evidence_row(c, found[c.term]) for c in candidates if c.term in found]
    vocabulary = {word for per_doc in found.values() for o in per_doc.values() for word in o.bag}
    store.contested.replace_evidence(rows, _word_rows(documents, vocabulary))


def _evidence_row(
    candidate: Candidate, per_doc: dict[str, Occurrences]
) -> tuple[str, str, str, str]:
    """(term, display, JSON doc ids, JSON {doc id: [bag, runs]}). Only runs two documents
    share are kept (no other can ever join two: on NASA, nine tenths of the evidence's
    size), numbered again per term: Python's hash of a string differs from one process to
    the next, and only whether two documents of one term share a run matters."""
    shared = Counter(run for o in per_doc.values() for run in o.runs)
    numbers: dict[int, int] = {}
    documents = {
        doc_id: [
            dict(o.bag),
            sorted(numbers.setdefault(r, len(numbers)) for r in o.runs if shared[r] > 1),
        ]
        for doc_id, o in per_doc.items()
    }
    ids, data = json.dumps(list(documents)), json.dumps(documents, ensure_ascii=False)
    return candidate.term, candidate.display, ids, data


def _word_rows(
    documents: Iterable[tuple[str, str, str]], vocabulary: set[str]
) -> Iterator[tuple[str, str]]:
    """(doc id, JSON [carried, written capitalised, written in lower case]) of each
    document: its words of `vocabulary` in each of Background.add's three sets."""
    for doc_id, _, text in documents:
        carried = set(sentence_words(text)) & vocabulary
        capitalised = {w.casefold() for w in CAPITALISED.findall(text)} & vocabulary
        lower = set(LOWER.findall(text)) & vocabulary
        words = [sorted(carried), sorted(capitalised), sorted(lower)]
        yield doc_id, json.dumps(words, ensure_ascii=False)


def readable_evidence(store: Store, access: Access, min_documents: int) -> ReadableEvidence | None:
    """The kept evidence of the documents `access` passes; None when the index kept none
    (written before it was kept). A candidate is left out unless two departments or more
    have `min_documents` readable documents with it in context: it could not be judged
    contested (each department's sources are at most its documents)."""
    readable = store.contested.readable_words(access.sql, access.params)
    if readable is None:
        return None
    with collector_paused():  # a fresh server's first view: 1.6 s with it, 0.5 s without
        return _added_up(store, readable, min_documents)


def _added_up(store: Store, readable: list[tuple], min_documents: int) -> ReadableEvidence:
    """The readable documents' rows added up: the background, and the evidence of the
    terms that could be judged contested."""
    departments, background = {}, Background()
    for doc_id, department, words in readable:
        departments[doc_id] = department
        _add_words(background, department, json.loads(words))
    terms = []
    for term, display, doc_ids in store.contested.evidence_documents():
        using = Counter(departments[d] for d in json.loads(doc_ids) if d in departments)
        if sum(n >= min_documents for n in using.values()) >= 2:
            terms.append((term, display))
    found = {
        term: {
            d: Occurrences.of(bag, runs)
            for d, (bag, runs) in json.loads(data).items()
            if d in departments
        }
        for term, data in store.contested.evidence([term for term, _ in terms])
    }
    return ReadableEvidence(terms, found, departments, background)


def _add_words(background: Background, department: str, words: list[list[str]]) -> None:
    """One document's part of the background, as Background.add counts it."""
    carried, capitalised, lower = words
    background.sizes[department] += 1
    background.frequency[department].update(carried)
    background.capitalised.update(capitalised)
    background.lower.update(lower)
