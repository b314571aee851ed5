"""The chunk masks a server keeps per filters (kb.search.passing) pass exactly the chunks SQL
passes, for every person of the access corpus, with and without chosen filters, asked in
turns (a mask kept for one person is never another's)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexer import run_index
from kb.access import Viewer
from kb.index.store import Store
from kb.knowledge_base import KnowledgeBase
from kb.search import Filters
from kb.search.passing import passing_chunks
from tests.access_corpus import DEFAULT_LEVEL, PEOPLE, write_access_corpus
from tests.conftest import fake_index_settings


def viewer(person) -> Viewer:
    if not person.signed_in:
        return Viewer.anonymous()
    return Viewer(True, person.name, person.departments, admin=person.role == "admin")


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    base = tmp_path_factory.mktemp("passing")
    settings = replace(fake_index_settings(base / "kb"), default_sensitivity=DEFAULT_LEVEL)
    run = run_index([write_access_corpus(base / "corpus")], settings)
    assert not run.errors, run.errors
    return KnowledgeBase(settings)


def all_filters() -> list[Filters]:
    chosen = [
        {},
        {"departments": ("Finance", "Legal")},
        {"sections": ("what_happened", "did_not_go_well")},
    ]
    return [
        Filters(viewer=viewer(person), default_sensitivity=DEFAULT_LEVEL, **choice)
        for choice in chosen
        for person in PEOPLE
    ]


def test_search_passing_masks_pass_what_sql_passes_for_every_person(kb):
    store = kb.generation.store
    kept = passing_chunks(store)
    every_chunk = list(range(store.chunks.count() + 5))
    for _ in range(2):  # the second round reads the kept masks
        for filters in all_filters():
            assert kept.ids(filters).tolist() == sorted(store.chunks.ids_passing(filters))
            assert kept.owners(every_chunk, filters) == store.chunks.owners_passing(
                every_chunk, filters
            )


def test_search_passing_masks_differ_between_people(kb):
    kept = passing_chunks(kb.generation.store)
    anonymous, admin = (Filters(viewer=v) for v in (Viewer.anonymous(), Viewer.system()))
    assert 0 < len(kept.ids(anonymous)) < len(kept.ids(admin))


def test_search_passing_not_kept_for_a_store_being_written(kb):
    writable = Store(kb.generation.store.path)
    try:
        assert passing_chunks(writable) is None
    finally:
        writable.close()
