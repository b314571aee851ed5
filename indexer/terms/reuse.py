"""Keep the stored rows of glossary candidates whose documents did not change.

After one file changes, every candidate is scored again (its features are corpus-wide), but
a candidate's row (variants, counts, departments, documents, contexts, acronym) depends
only on the documents its surface forms occur in. So a run rebuilds the rows of the terms
with a surface form in a document that was added, removed or changed (its text, id or
metadata), or in an acronym pairing that changed; every other stored row keeps its content
and takes its new score, rank and cut-off. The table is the same as a full mining writes.

What the rows were mined from (`MiningBasis`) is stored with them, in the generation: a
generation's basis always describes its own rows, even after a run that did not mine.
Everything here is plain data, free of spaCy and numpy: the index run reads and writes it
while a child process mines (`background`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from indexer.digests import text_digest
from kb.index.store import Store

# Part of `MiningBasis.settings`: bump it whenever what a row holds, or how, changes.
ROWS_FORMAT = 2
_SETTINGS, _ACRONYMS = "settings", "acronyms"

DocumentKey = tuple[str, str, str]  # document id, text SHA-256, metadata as JSON
CorpusRow = tuple[str, str, dict]  # document id, text, metadata: a `SourceDocument`'s fields


def corpus_rows(store: Store) -> list[CorpusRow]:
    """Every document of the store as the miner reads it, in id order."""
    return [
        (doc_id, f"{title}\n\n{body}", {"department": department})
        for _, doc_id, department, title, body in store.documents.texts()
    ]


def texts_to_parse(rows: list[CorpusRow], stored: StoredCandidates | None) -> int:
    """How many of the corpus's texts the last mining did not count (all without one): a
    file of many records that changed in one re-adds them all, but only one is new text."""
    if stored is None:
        return len(rows)
    counted = {digest for _, digest, _ in stored.basis.documents}
    return len({text_digest(text) for _, text, _ in rows} - counted)


def document_key(document) -> DocumentKey:
    """A `SourceDocument`'s identity for the basis: any change to it touches its terms."""
    metadata = json.dumps(dict(document.metadata), sort_keys=True, ensure_ascii=False)
    return document.doc_id, text_digest(document.text), metadata


def basis_settings(counting_fingerprint: str, contexts_per_term: int) -> str:
    """Everything besides the documents that a row's content depends on."""
    return f"{counting_fingerprint} contexts={contexts_per_term} rows-v{ROWS_FORMAT}"


@dataclass(frozen=True)
class MiningBasis:
    """What a generation's candidate rows were mined from."""

    settings: str
    documents: list[DocumentKey]  # in corpus order
    acronyms: dict[str, str]

    def save(self, store: Store) -> None:
        named = {_SETTINGS: self.settings, _ACRONYMS: json.dumps(self.acronyms)}
        store.candidates.replace_basis(named, self.documents)

    @classmethod
    def read(cls, store: Store) -> MiningBasis | None:
        named, documents = store.candidates.basis()
        if _SETTINGS not in named or _ACRONYMS not in named:
            return None  # mined before bases were kept, or never mined
        return cls(named[_SETTINGS], documents, json.loads(named[_ACRONYMS]))


@dataclass(frozen=True)
class StoredCandidates:
    """A store's candidate rows (each term's surface forms) and their basis."""

    basis: MiningBasis
    variants: dict[str, list[str]]

    @classmethod
    def read(cls, store: Store) -> StoredCandidates | None:
        basis = MiningBasis.read(store)
        return None if basis is None else cls(basis, store.candidates.variants())

    def terms_with_variants(self, surfaces: set[str]) -> set[str]:
        return {term for term, forms in self.variants.items() if not surfaces.isdisjoint(forms)}


@dataclass(frozen=True)
class DocumentChanges:
    """Documents of the new corpus the basis lacks, and basis documents no longer there."""

    added: list[int]  # positions in the new corpus
    removed: list[DocumentKey]

    @classmethod
    def between(cls, basis: MiningBasis, keys: list[DocumentKey]) -> DocumentChanges:
        before, now = set(basis.documents), set(keys)
        added = [position for position, key in enumerate(keys) if key not in before]
        return cls(added, [key for key in basis.documents if key not in now])

    @property
    def removed_digests(self) -> set[str]:
        return {digest for _, digest, _ in self.removed}


def touched_surfaces(changed: Iterable, before: dict, now: dict) -> set[str]:
    """Surface forms whose rows may differ: those of the changed documents' counts
    (`DocCounts`, added and removed), and both sides of every acronym pairing (``before``
    and ``now``) that changed."""
    surfaces = {surface for counts in changed for surface in counts.surfaces}
    for short in before.keys() | now.keys():
        if before.get(short) != now.get(short):
            surfaces.add(short)
            surfaces.update(pairing[short] for pairing in (before, now) if short in pairing)
    return surfaces


def reusable_terms(stored: StoredCandidates, view, touched: set[str]) -> set[str]:
    """Stored terms whose rows stay as they are: no touched surface form among their
    variants, then (stored) or now (``view``, a `view.CorpusView`)."""
    ids, lemma_ids, lemmas = view.counts.ids, view.lemma_ids, view.lemmas
    now = {lemmas[lemma_ids[ids[surface]]] for surface in touched if surface in ids}
    return set(stored.variants) - now - stored.terms_with_variants(touched)


@dataclass(frozen=True)
class CandidateTable:
    """What `mine` found: the rows to store, and how much spaCy parsing the cache saved."""

    candidates_found: int  # of which the best MAX_CANDIDATES are kept
    rows: list[dict] = field(repr=False)  # built in full
    texts_parsed: int
    documents_reused: int
    warnings: list[str] = field(default_factory=list)  # the cache's problems; never fatal
    # Stored rows kept with a new (score, rank, accepted), by term; None: `rows` is all.
    rescored: list[tuple] | None = field(default=None, repr=False)
    basis: MiningBasis | None = field(default=None, repr=False)


def save_candidates(store: Store, table: CandidateTable) -> None:
    if table.rescored is None:
        store.candidates.replace(table.rows)
    else:
        store.candidates.update(table.rows, table.rescored)
    if table.basis is not None:
        table.basis.save(store)
    store.commit()
