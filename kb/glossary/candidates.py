"""Reading the live generation's `term_candidates` (written by the miner on every index run)."""

from __future__ import annotations

from collections.abc import Callable

from kb.glossary.model import Candidate, DocumentRef
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

    def ranked_keys(self, department: str = "", above_cutoff: bool = False) -> list[str]:
        """Candidate keys, best first, in one department and/or above the miner's cut-off."""
        store = self._store()
        return [] if store is None else store.candidates.ranked_keys(department, above_cutoff)

    def get_many(self, keys: list[str]) -> dict[str, Candidate]:
        store = self._store()
        if store is None:
            return {}
        rows = store.candidates.get_many(keys)
        return {key: Candidate.from_row(row) for key, row in rows.items()}

    def displays(self) -> dict[str, str]:
        """{key: the form shown for it} of every candidate."""
        store = self._store()
        return {} if store is None else store.candidates.displays()

    def get(self, key: str) -> Candidate | None:
        return self.get_many([key]).get(key)

    def all(self) -> list[Candidate]:
        store = self._store()
        return [] if store is None else [Candidate.from_row(r) for r in store.candidates.all()]

    def with_forms(self, forms: list[str]) -> list[Candidate]:
        """Candidates whose key, display form or a variant is one of `forms` (any case)."""
        store, folded = self._store(), sorted({form.casefold() for form in forms if form})
        if store is None or not folded:
            return []
        return [Candidate.from_row(row) for row in store.candidates.with_forms(folded)]

    def departments(self) -> list[str]:
        store = self._store()
        return [] if store is None else store.candidates.departments()

    def documents(self, doc_ids) -> dict[str, DocumentRef]:
        """Title and department of each id that is in the index; unknown ids are left out."""
        store = self.provider()
        if store is None:
            return {}
        rows = store.documents.titles(sorted(set(doc_ids)))
        return {
            doc_id: DocumentRef(doc_id, title, department) for doc_id, title, department in rows
        }
