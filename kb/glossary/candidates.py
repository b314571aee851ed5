"""Reading the live generation's `term_candidates` (written by the miner on every index run)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from kb.glossary.model import Candidate, DocumentRef
from kb.store import Store

StoreProvider = Callable[[], Store | None]
_DEPARTMENT = "EXISTS (SELECT 1 FROM json_each(term_candidates.departments) WHERE key = ?)"


def _batches(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class CandidateSource:
    """Candidates of whatever generation is live when asked; empty when there is no index."""

    def __init__(self, provider: StoreProvider | None = None):
        self.provider = provider or (lambda: None)

    def _store(self) -> Store | None:
        store = self.provider()
        if store is None:
            return None
        try:
            store.conn.execute("SELECT 1 FROM term_candidates LIMIT 0")
        except sqlite3.OperationalError:  # an index written before the miner existed
            return None
        return store

    def ranked_keys(self, department: str = "", above_cutoff: bool = False) -> list[str]:
        """Candidate keys, best first, in one department and/or above the miner's cut-off."""
        store = self._store()
        if store is None:
            return []
        where, params = ["1"], []
        if department:
            where.append(_DEPARTMENT)
            params.append(department)
        if above_cutoff:
            where.append("accepted = 1")
        sql = f"SELECT term FROM term_candidates WHERE {' AND '.join(where)} ORDER BY rank, term"
        return [row[0] for row in store.conn.execute(sql, params)]

    def get_many(self, keys: list[str]) -> dict[str, Candidate]:
        store = self._store()
        out: dict[str, Candidate] = {}
        if store is None:
            return out
        for batch in _batches(list(keys)):
            marks = ",".join("?" * len(batch))
            for row in store.term_candidates(f"term IN ({marks})", tuple(batch)):
                out[row["term"]] = Candidate.from_row(row)
        return out

    def get(self, key: str) -> Candidate | None:
        return self.get_many([key]).get(key)

    def all(self) -> list[Candidate]:
        store = self._store()
        return [] if store is None else [Candidate.from_row(r) for r in store.term_candidates()]

    def with_forms(self, forms: list[str]) -> list[Candidate]:
        """Candidates whose key, display form or a variant is one of `forms` (any case)."""
        store, folded = self._store(), sorted({form.casefold() for form in forms if form})
        if store is None or not folded:
            return []
        marks = ",".join("?" * len(folded))
        where = (
            f"lower(term) IN ({marks}) OR lower(display) IN ({marks}) OR EXISTS (SELECT 1 FROM"
            f" json_each(term_candidates.variants) WHERE lower(json_each.key) IN ({marks}))"
        )
        rows = store.term_candidates(where, tuple(folded) * 3)
        return [Candidate.from_row(row) for row in rows]

    def departments(self) -> list[str]:
        store = self._store()
        if store is None:
            return []
        rows = store.conn.execute(
            "SELECT DISTINCT j.key FROM term_candidates, json_each(term_candidates.departments) j"
            " ORDER BY j.key"
        )
        return [row[0] for row in rows]

    def documents(self, doc_ids) -> dict[str, DocumentRef]:
        """Title and department of each id that is in the index; unknown ids are left out."""
        store, ids = self.provider(), sorted(set(doc_ids))
        out: dict[str, DocumentRef] = {}
        if store is None:
            return out
        for batch in _batches(ids):
            marks = ",".join("?" * len(batch))
            rows = store.conn.execute(
                f"SELECT id, title, department FROM documents WHERE id IN ({marks})", batch
            )
            out.update((row[0], DocumentRef(row[0], row[1], row[2])) for row in rows)
        return out
