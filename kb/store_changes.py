"""What one index run changed in a store, so the derived tables and indexes follow it.

A generation's vector index and corpus term statistics summarize every chunk and document;
rebuilding them after one file changed costs as much as after a full build (at 100k
chunks, 8 of the 17 seconds of writing a generation). The store notes each chunk it adds
or removes and each document's words, and the index run applies just that to the previous
generation's copies.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class StoreChanges:
    added_chunks: list[int] = field(default_factory=list)
    removed_chunks: list[int] = field(default_factory=list)
    # Document-frequency change per term (`terms_stats.term_set` of each document's text).
    term_documents: Counter = field(default_factory=Counter)

    def document_added(self, chunk_ids: list[int], text: str) -> None:
        self.added_chunks += chunk_ids
        self.term_documents.update(_terms(text))

    def document_removed(self, chunk_ids: list[int], text: str) -> None:
        self.removed_chunks += chunk_ids
        self.term_documents.subtract(_terms(text))

    def term_deltas(self) -> dict[str, int]:
        """Terms whose document frequency changed, by how much."""
        return {term: n for term, n in self.term_documents.items() if n}


def _terms(text: str) -> set[str]:
    from kb.terms_stats import term_set  # here: it imports kb.search, which imports the store

    return term_set(text)
