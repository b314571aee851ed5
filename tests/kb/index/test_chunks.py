"""Chunks: their documents, from memory on a server, and which pass a search's filters."""

import pytest

from kb.index.filters import Filters
from kb.index.store import Store


def test_chunks_owners_from_memory_match_the_database(database):
    served, writable = Store(database, read_only=True), Store(database)
    rows = writable.db.conn.execute("SELECT id, doc_rowid FROM chunks ORDER BY random()")
    expected = dict(list(rows)[:25])
    wanted = [*expected, -5, 10**9]  # unknown ids are left out
    assert served.chunks.owners(wanted) == writable.chunks.owners(wanted) == expected


EVERY = {"Engineering", "Operations", "Finance", "Legal"}


@pytest.mark.parametrize(
    ("filters", "departments"),
    [
        (Filters(exclude_departments=("Engineering", "Finance")), {"Operations", "Legal"}),
        (Filters(departments=("Legal",), years=("2023",)), {"Legal"}),
        (Filters(departments=("Nobody",)), set()),
        (Filters(sections=("lesson",)), EVERY),  # a condition on chunks: the join answers it
        (Filters(tags=("none",)), set()),
        (Filters(), EVERY),
    ],
)
def test_chunks_a_server_lists_passing_chunks_as_the_join_does(database, filters, departments):
    served, writable = Store(database, read_only=True), Store(database)
    listed = sorted(served.chunks.ids_passing(filters).tolist())
    assert listed == sorted(writable.chunks.ids_passing(filters).tolist())
    owners = writable.chunks.owners(listed)
    documents = writable.documents.rows(sorted(set(owners.values())))
    assert {row["department"] for row in documents.values()} == departments


def test_chunks_passing_leaves_out_the_document_asked_to(database):
    store = Store(database, read_only=True)
    rowid = store.documents.rowid(min(store.documents.sources()))
    mine = set(store.chunks.ids_of(rowid))
    department = store.documents.rows([rowid])[rowid]["department"]
    others = set(store.chunks.ids_passing(Filters(exclude_departments=(department,))).tolist())
    every = set(store.chunks.ids_passing(Filters(), except_document=rowid).tolist())
    assert mine and not mine & every and others < every
    assert len(every) == store.chunks.count() - len(mine)


def test_chunks_owners_passing_keeps_only_the_chunks_that_pass(database):
    store = Store(database, read_only=True)
    every = store.chunks.ids_passing(Filters()).tolist()
    legal = Filters(departments=("Legal",))
    passing = store.chunks.owners_passing(every, legal)
    assert set(passing) == set(store.chunks.ids_passing(legal).tolist())
    documents = store.documents.rows(sorted(set(passing.values())))
    assert {row["department"] for row in documents.values()} == {"Legal"}
