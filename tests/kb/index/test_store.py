"""The store's writes that span tables: a document with its chunks in, a source file's
documents out, exactly-so checks, and compaction."""

import dataclasses
import datetime as dt

from kb.documents.chunking import chunk_document
from kb.documents.schema import Document, Section
from kb.index.changes import StoreChanges
from kb.index.store import Store


def lesson(n: int, text: str = "The vendor shipped late.", path: str = "a.md") -> Document:
    sections = [
        Section("lesson", "Lesson", f"{text} " * 40),
        Section("actions", "Actions", "- [ ] Call"),
    ]
    return Document(
        f"d{n}", f"Lesson {n}", "lesson", "Ops", dt.date(2024, 1, n + 1), sections,
        tags=["vendor"], source_path=path,
    )  # fmt: skip


def test_store_keeps_a_document_exactly_as_added(tmp_path):
    store = Store(tmp_path / "kb.sqlite")
    doc = lesson(1)
    chunks = chunk_document(doc, max_words=50, overlap_words=10)
    ids = store.add_document(doc, chunks)
    assert store.documents.get("d1") == doc and store.holds(doc, chunks)
    assert len(ids) == len(chunks) > 1 and store.changes.added_chunks == ids
    assert [row["text"] for row in store.documents.actions(store.documents.rowid("d1"))] == ["Call"]
    edited = dataclasses.replace(doc, sections=[Section("lesson", "Lesson", "Other words.")])
    assert not store.holds(edited, chunk_document(edited))
    assert not store.holds(doc, chunks[:-1])


def test_store_deleting_a_source_takes_its_documents_chunks_and_words(tmp_path):
    store = Store(tmp_path / "kb.sqlite")
    store.sources.set("a.md", "hash-a", has_errors=False)
    first = store.add_document(lesson(1), chunk_document(lesson(1)))
    other = lesson(2, "Runbook gaps.", "b.md")
    store.add_document(other, chunk_document(other))
    store.commit()
    store.changes = StoreChanges()  # as the next run's copy starts
    store.delete_source("a.md")
    assert store.counts() == {"documents": 1, "chunks": len(chunk_document(other)), "sources": 0}
    assert store.changes.removed_chunks == first and store.changes.removed_terms["vendor"] == 1
    fts = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
    assert store.db.conn.execute(fts, ['"vendor"']).fetchone()[0] == 0  # out of the text index
    assert store.documents.actions(1) == []


def test_store_compacts_only_a_file_with_much_free_space(tmp_path):
    store = Store(tmp_path / "kb.sqlite")
    for n in range(20):
        doc = lesson(n, f"Text {n} of a long lesson about vendors and their schedules.")
        store.add_document(doc, chunk_document(doc))
    store.commit()
    store.delete_documents(["d0"])
    store.commit()
    pages, free = store.db.pages()
    assert free > 0 and not store.compact_if_sparse(0.25)  # one document of twenty gone
    store.delete_documents([f"d{n}" for n in range(1, 18)])
    store.commit()
    assert store.compact_if_sparse(0.25)
    after, free = store.db.pages()
    assert after < pages / 2 and free == 0
