"""`Store`: a generation's database (kb.sqlite), one repository per group of tables.

    store.documents   documents, sections, tags, actions, facets  (kb.index.documents)
    store.chunks      chunks, their full-text index, filtering    (kb.index.chunks)
    store.embeddings  the embedding cache and chunk vectors       (kb.index.embeddings)
    store.chunk_terms each chunk's packed terms, for the postings (kb.index.terms)
    store.term_stats  documents per term                          (kb.index.terms)
    store.candidates  the glossary miner's rows                   (kb.index.candidates)
    store.contested   contested candidates, ranked                (kb.index.contested)
    store.sources     the files indexed                           (kb.index.sources)
    store.person_names  names found in each document, its people  (kb.index.people)
    store.changes     what this store's writer added and removed  (kb.index.changes)

An index run writes a fresh copy once; a server reads with per-thread connections. The
methods here are the writes that span several repositories, and the store's life.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from kb.documents.chunking import Chunk
from kb.documents.schema import Document
from kb.index.candidates import Candidates
from kb.index.changes import StoreChanges
from kb.index.chunks import Chunks
from kb.index.contested import ContestedRows
from kb.index.db import Database
from kb.index.documents import Documents
from kb.index.embeddings import Embeddings
from kb.index.people import PersonNames
from kb.index.schema import MIGRATIONS
from kb.index.sources import Sources
from kb.index.terms import ChunkTerms, TermStatistics


class Store:
    def __init__(self, path: Path, read_only: bool = False):
        self.db = Database(path, read_only, MIGRATIONS)
        self.documents = Documents(self.db)
        self.chunks = Chunks(self.db)
        self.embeddings = Embeddings(self.db)
        self.chunk_terms = ChunkTerms(self.db)
        self.term_stats = TermStatistics(self.db)
        self.candidates = Candidates(self.db)
        self.contested = ContestedRows(self.db)
        self.sources = Sources(self.db)
        self.person_names = PersonNames(self.db)
        self.changes = StoreChanges()  # what this store's writer added and removed

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    # -- writes that span tables ---------------------------------------------------------

    def add_document(self, doc: Document, chunks: list[Chunk]) -> list[int]:
        """Insert a document with its chunks; returns the chunk ids (also the vector ids)."""
        rowid = self.documents.add(doc)
        ids = self.chunks.add(rowid, doc.title, chunks)
        self.changes.document_added(rowid, ids)
        return ids

    def delete_documents(self, doc_ids: list[str]) -> None:
        for doc_id in doc_ids:
            rowid = self.documents.rowid(doc_id)
            if rowid is None:
                continue
            text = partial(self.documents.statistics_text, rowid)
            self.changes.document_removed(rowid, self.chunks.ids_of(rowid), text)
            self.chunks.forget_text(rowid)
            self.documents.delete(rowid)

    def delete_source(self, path: str) -> None:
        """A file's documents and its record."""
        self.delete_documents(self.documents.ids_from(path))
        self.sources.forget(path)

    def holds(self, doc: Document, chunks: list[Chunk]) -> bool:
        """True when ``doc`` is stored exactly so, with exactly these chunks."""
        if self.documents.get(doc.id) != doc:
            return False
        return self.chunks.stored_as(doc.id) == [
            (c.section_key, c.section_heading, c.position, c.section_position, c.text,
             c.char_start, c.char_end, c.content_hash)
            for c in chunks
        ]  # fmt: skip

    def commit(self) -> None:
        self.db.commit()

    def rollback(self) -> None:
        self.db.rollback()

    @property
    def changed(self) -> bool:
        """True once this thread's writes changed a row (committed or not)."""
        return self.db.changed

    def compact_if_sparse(self, free_share: float) -> bool:
        """VACUUM only when more than ``free_share`` of the file's pages are free: it
        rewrites the whole database (seconds at 100k chunks), where one changed file frees
        a few pages. Whether it did."""
        pages, free = self.db.pages()
        if free <= pages * free_share:
            return False
        self.db.vacuum()
        return True

    # -- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.documents.count(),
            "chunks": self.chunks.count(),
            "sources": self.sources.count(),
        }

    def fetch_many(self, queries: list[tuple[str, list]]) -> list[list]:
        """The rows of each (sql, params), side by side on a server (`Database.fetch_many`)."""
        return self.db.fetch_many(queries)

    def close(self) -> None:
        """Close every thread's connection and stop the reader threads."""
        self.db.close()
        self.chunks.forget_cached()

    @property
    def closed(self) -> bool:
        return self.db.closed
