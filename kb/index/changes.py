"""What one index run changed in a store, so the derived tables and indexes follow it.

A generation's vector index, keyword postings and corpus term statistics summarize every
chunk and document; rebuilding them after one file changed costs as much as after a full
build (at 100k chunks, 15 of the 16 seconds of writing a generation). The store notes each
chunk it adds or removes, and the words of each document it removes, and the index run
applies just that to the previous generation's copies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.text.statistics import term_set


@dataclass
class StoreChanges:
    added_chunks: list[int] = field(default_factory=list)
    removed_chunks: list[int] = field(default_factory=list)
    added_documents: set[int] = field(default_factory=set)  # rowids, still in the store
    # The words of removed documents, counted when they go (a full build removes none).
    removed_terms: Counter = field(default_factory=Counter)

    def document_added(self, rowid: int, chunk_ids: list[int]) -> None:
        self.added_chunks += chunk_ids
        self.added_documents.add(rowid)

    def document_removed(self, rowid: int, chunk_ids: list[int], text: Callable[[], str]) -> None:
        self.removed_chunks += chunk_ids
        if rowid in self.added_documents:  # added by this run: its words were never counted
            self.added_documents.discard(rowid)
        else:
            self.removed_terms.update(term_set(text()))

    def term_deltas(self, text: Callable[[int], str]) -> dict[str, int]:
        """Terms whose document frequency changed, by how much; ``text`` gives a document's
        text by rowid (`Documents.statistics_text`), for the documents added."""
        deltas: Counter = Counter()
        for rowid in self.added_documents:
            deltas.update(term_set(text(rowid)))
        deltas.subtract(self.removed_terms)
        return {term: n for term, n in deltas.items() if n}
