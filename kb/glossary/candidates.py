"""Reading the live generation's `term_candidates` (written by the miner on every index run),
as one viewer may see them: every read takes the viewer's compiled `Access` (None reads
everything: the CLI, admins)."""

from __future__ import annotations

from collections.abc import Callable

from kb.glossary.model import Candidate, DocumentRef
from kb.glossary.readable import readable_candidates
from kb.index.candidates import Access
from kb.index.store import Store

StoreProvider = Callable[[], Store | None]


class CandidateSource:
    """Candidates of whatever generation is live when asked; empty when there is no index."""

    def __init__(self, provider: StoreProvider | None = None):
        self.provider = provider or (lambda: None)

    def _store(self) -> Store | None:
        store = self.provider()
        if store is None or not store.candidates.available():
            return None  # no index, or one written before the miner existed
        return store

    def ranked_keys(
        self, department: str = "", above_cutoff: bool = False, access: Access | None = None
    ) -> list[str]:
        """Candidate keys, best first, in one department and/or above the miner's cut-off."""
        store = self._store()
        if store is None:
            return []
        return store.candidates.ranked_keys(department, above_cutoff, _needed(store, access))

    def get_many(self, keys: list[str], access: Access | None = None) -> dict[str, Candidate]:
        store = self._store()
        if store is None:
            return {}
        rows = store.candidates.get_many(keys)
        found = _shown(store, access, [Candidate.from_row(row) for row in rows.values()])
        return {candidate.term: candidate for candidate in found}

    def displays(self) -> dict[str, str]:
        """{key: the form shown for it} of every candidate."""
        store = self._store()
        return {} if store is None else store.candidates.displays()

    def get(self, key: str, access: Access | None = None) -> Candidate | None:
        return self.get_many([key], access).get(key)

    def all(self, access: Access | None = None) -> list[Candidate]:
        store = self._store()
        if store is None:
            return []
        return _shown(store, access, [Candidate.from_row(r) for r in store.candidates.all()])

    def with_forms(self, forms: list[str], access: Access | None = None) -> list[Candidate]:
        """Candidates whose key, display form or a variant is one of `forms` (any case)."""
        store, folded = self._store(), sorted({form.casefold() for form in forms if form})
        if store is None or not folded:
            return []
        rows = store.candidates.with_forms(folded)
        return _shown(store, access, [Candidate.from_row(row) for row in rows])

    def departments(self, access: Access | None = None) -> list[str]:
        store = self._store()
        return [] if store is None else store.candidates.departments(_needed(store, access))

    def documents(self, doc_ids, access: Access | None = None) -> dict[str, DocumentRef]:
        """Title and department of each id that is in the index and passes `access`."""
        store = self.provider()
        if store is None:
            return {}
        rows = store.candidates.readable(list(doc_ids), access)
        return {doc_id: DocumentRef(doc_id, *row) for doc_id, row in rows.items()}


def _needed(store: Store, access: Access | None) -> Access | None:
    """`access`, or None when it leaves out no document of `store` (nothing to filter)."""
    return None if store.candidates.reads_all(access) else access


def _shown(store: Store, access: Access | None, found: list[Candidate]) -> list[Candidate]:
    return readable_candidates(store, _needed(store, access), found)
