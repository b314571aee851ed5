"""Incremental mining: cached per-document counts give exactly the candidates of a full mine."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from indexer.terms import SourceDocument, mine_counted, mine_terms
from indexer.terms.cache import MiningCache, decode_counts, encode_counts
from indexer.terms.collect import count_corpus
from indexer.terms.doc_counts import count_document
from indexer.terms.incremental import count_incrementally
from tests.indexer.terms.support import CountingNlp, FakeNlp, example_documents


def mine_cached(documents, cache_path, nlp):
    """One index run's mining: counts through the cache, then the usual ranking."""
    with closing(MiningCache(cache_path)) as cache:
        counted = count_incrementally(documents, cache, nlp)
        warnings = list(cache.warnings)
    return mine_counted(documents, counted.doc_counts), counted, warnings


def assert_same_result(result, expected):
    assert (result.n_documents, result.n_tokens) == (expected.n_documents, expected.n_tokens)
    assert [c.term for c in result.candidates] == [c.term for c in expected.candidates]
    assert result.candidates == expected.candidates  # scores, counts, contexts, variants...


def changed(documents):
    edited = SourceDocument(documents[3].doc_id, documents[3].text + "\nA new pitch system note.")
    return [*documents[:3], edited, *documents[4:]]


def added(documents):
    extra = SourceDocument("zz-new", "The pitch system of the wind turbine failed twice.", {})
    return [*documents, extra]


def removed(documents):
    return documents[:4] + documents[5:]


@pytest.fixture
def first_run(tmp_path):
    documents, nlp = example_documents(), CountingNlp()
    cache_path = tmp_path / "cache" / "mining.sqlite"
    with closing(MiningCache(cache_path)) as cache:
        count_incrementally(documents, cache, nlp)
    assert len(nlp.parsed) == len(documents)
    nlp.parsed.clear()
    return documents, cache_path, nlp


@pytest.mark.parametrize(
    ("edit", "parsed"), [(changed, 1), (added, 1), (removed, 0)], ids=["change", "add", "remove"]
)
def test_incremental_mining_equals_a_full_mine_and_parses_only_the_new_text(
    first_run, edit, parsed
):
    documents, cache_path, nlp = first_run
    documents = edit(documents)
    result, counted, warnings = mine_cached(documents, cache_path, nlp)
    assert_same_result(result, mine_terms(documents, nlp=FakeNlp()))
    new_texts = {d.text for d in documents} - {d.text for d in example_documents()}
    assert set(nlp.parsed) == new_texts and len(nlp.parsed) == parsed
    assert (counted.texts_parsed, counted.documents_reused) == (parsed, len(documents) - parsed)
    assert warnings == []


def test_incremental_unchanged_corpus_parses_nothing_and_cache_keeps_only_its_texts(first_run):
    documents, cache_path, nlp = first_run
    mine_cached(documents[:5], cache_path, nlp)
    assert nlp.parsed == []
    with closing(sqlite3.connect(cache_path)) as conn:
        assert conn.execute("SELECT count(*) FROM doc_counts").fetchone()[0] == 5


def test_incremental_corrupt_cache_file_falls_back_to_full_mining(first_run):
    documents, cache_path, nlp = first_run
    cache_path.write_bytes(b"this is not an SQLite database" * 100)
    result, counted, warnings = mine_cached(documents, cache_path, nlp)
    assert_same_result(result, mine_terms(documents, nlp=FakeNlp()))
    assert counted.texts_parsed == len(documents) and "cannot be opened" in warnings[0]
    nlp.parsed.clear()
    mine_cached(documents, cache_path, nlp)  # the broken file was replaced by a working cache
    assert nlp.parsed == []


def test_incremental_unreadable_cache_entry_is_parsed_again(first_run):
    documents, cache_path, nlp = first_run
    with closing(sqlite3.connect(cache_path)) as conn, conn:
        first = "(SELECT min(text_sha256) FROM doc_counts)"
        conn.execute(f"UPDATE doc_counts SET counts = ? WHERE text_sha256 = {first}", (b"bad",))
    result, counted, warnings = mine_cached(documents, cache_path, nlp)
    assert_same_result(result, mine_terms(documents, nlp=FakeNlp()))
    assert counted.texts_parsed == 1 and "1 unreadable entries" in warnings[0]


def test_incremental_counts_survive_the_cache_encoding_exactly():
    documents = example_documents()[:6]
    nlp = FakeNlp()
    docs = list(nlp.pipe(d.text for d in documents))
    direct = count_corpus((d.doc_id, doc) for d, doc in zip(documents, docs, strict=True))
    stored = [decode_counts(encode_counts(count_document(doc))) for doc in docs]
    merged = mine_counted(documents, stored)
    assert_same_result(merged, mine_terms(documents, nlp=FakeNlp()))
    assert merged.n_tokens == direct.n_tokens
