"""Keyword postings in memory: FTS5's scores and matches, kept in step with every index run."""

import random
import shutil

import numpy as np
import pytest

from indexer import run_index
from kb.index.generations import CURRENT, DB_NAME, Manifest, current_generation
from kb.index.store import Store
from kb.keyword_index import KEYWORDS_NAME, KeywordIndex
from kb.knowledge_base import KnowledgeBase
from kb.search import postings as postings_module
from kb.search import retrievers
from kb.search.request import Filters, SearchRequest
from kb.text import fts
from tests.conftest import markdown_doc

COMMON = "vendor delays delayed schedule reviewing reviews".split()
RARE = "hydrazine gimbal cryostat telemetry umbilical root-cause".split()
DEPARTMENTS = ("Engineering", "Operations", "Finance", "Legal")
QUERIES = [
    "vendor delay",
    "reviewed schedules for the gimbal",
    "hydrazine cryostat telemetry umbilical",
    "root-cause of delays",  # a phrase of two words
    "Vendor's DELAYS!",
    "nothing matches zyxxy",
]


def write_corpus(write_doc, count=60, seed=3):
    rng = random.Random(seed)
    for n in range(count):
        words = rng.choices(COMMON, k=12) + rng.sample(RARE, k=rng.randint(0, 3))
        sections = {"What happened": " ".join(words) + ".", "Lesson": rng.choice(COMMON) + "."}
        title = f"Lesson {n} on {rng.choice(COMMON + RARE)}"
        department = DEPARTMENTS[n % len(DEPARTMENTS)]
        write_doc(f"d{n}.md", markdown_doc(title, "lesson", department, "2023-01-02", sections))


@pytest.fixture
def kb(write_doc, fake_settings):
    write_corpus(write_doc)
    run_index([write_doc.root], fake_settings)
    return KnowledgeBase(fake_settings)


def keyword(kb, query, filters=Filters(), postings=True, expansions=()):
    gen = kb.generation
    index = gen.keywords if postings else None
    return retrievers.keyword_matches(gen.store, query, filters, list(expansions), index)


def assert_same_matches(found, expected):
    assert [m.doc_rowid for m in found] == pytest.approx([m.doc_rowid for m in expected])
    for got, want in zip(found, expected, strict=True):
        assert got.score == pytest.approx(want.score, rel=1e-6)


@pytest.mark.parametrize("query", QUERIES)
def test_keyword_index_scores_every_query_as_fts5(kb, query):
    assert kb.generation.keywords is not None
    found, expected = keyword(kb, query), keyword(kb, query, postings=False)
    assert_same_matches(found, expected)
    assert bool(found) == ("zyxxy" not in query)


def test_keyword_index_scores_glossary_expansions_as_fts5(kb):
    expansions = ["liquid oxygen", "gimbal lock", "vendors"]
    found = keyword(kb, "hydrazine", expansions=expansions)
    assert_same_matches(found, keyword(kb, "hydrazine", postings=False, expansions=expansions))


@pytest.mark.parametrize(
    "filters",
    [
        Filters(departments=("Legal",)),
        Filters(exclude_departments=("Legal", "Finance")),
        Filters(departments=("Nobody",)),
    ],
)
@pytest.mark.parametrize("probe", [4, 0])  # 0: too few of the best pass, list the passing
def test_keyword_index_filters_pass_as_in_fts5(kb, filters, probe, monkeypatch):
    monkeypatch.setattr(postings_module, "FILTER_PROBE", probe)
    found = keyword(kb, "vendor gimbal schedule", filters)
    assert_same_matches(found, keyword(kb, "vendor gimbal schedule", filters, postings=False))
    rows = kb.store.documents.rows([m.doc_rowid for m in found])
    departments = {rows[m.doc_rowid]["department"] for m in found}
    assert departments <= set(filters.departments or DEPARTMENTS) - set(filters.exclude_departments)


def test_keyword_index_word_terms_are_fts5_terms():
    assert fts.word_term("delays") == fts.word_term("delay") == "delai"
    assert fts.word_term("Café") == "cafe"
    assert fts.word_term("...") is None  # no term at all
    assert fts.word_term("root-cause") is None  # two terms: not one word


def test_keyword_index_follows_a_changed_and_a_deleted_file(kb, write_doc, fake_settings):
    write_doc("d1.md", markdown_doc("Changed", sections={"Lesson": "A quokka ate the cable."}))
    (write_doc.root / "d2.md").unlink()
    tokenized = []
    original = fts.FtsTokenizer.instances

    def counting(self, rows):
        tokenized.extend(row[0] for row in rows)
        return original(self, rows)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fts.FtsTokenizer, "instances", counting)
        run_index([write_doc.root], fake_settings)
    fresh = KnowledgeBase(fake_settings)
    assert len(tokenized) == 1  # only the changed file's one chunk was tokenized again
    hits = fresh.search(SearchRequest(q="quokka", mode="keyword"))
    assert [h.id for h in hits] == ["d1"]
    every = fresh.search(SearchRequest(q="lesson", mode="keyword", k=100))
    assert len(every) == 59 and "d2" not in {h.id for h in every}
    for query in QUERIES:
        assert_same_matches(keyword(fresh, query), keyword(fresh, query, postings=False))
    store = fresh.store
    assert store.counts()["chunks"] == fresh.generation.keywords.passages


def test_keyword_index_is_recorded_and_older_indexes_still_search(kb, fake_settings):
    generation = current_generation(fake_settings.kb_dir)
    assert Manifest.read(generation).keyword_index == "postings"
    expected = keyword(kb, "vendor gimbal", postings=False)
    shutil.rmtree(generation / KEYWORDS_NAME)  # as an index written before postings existed
    assert KeywordIndex.load(generation / KEYWORDS_NAME) is None
    older = KnowledgeBase(fake_settings)
    assert older.generation.keywords is None
    assert_same_matches(keyword(older, "vendor gimbal", postings=False), expected)
    hits = older.search(SearchRequest(q="vendor gimbal", mode="keyword"))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_keyword_index_next_run_stores_terms_an_older_index_lacks(kb, write_doc, fake_settings):
    generation = current_generation(fake_settings.kb_dir)
    store = Store(generation / DB_NAME)
    with store.db.transaction() as conn:
        conn.execute("DELETE FROM chunk_terms")  # as written before chunk terms existed
    store.close()
    write_doc("new.md", markdown_doc("New", sections={"Lesson": "Gimbal vendor again."}))
    run_index([write_doc.root], fake_settings)
    fresh = KnowledgeBase(fake_settings)
    assert fresh.generation.keywords.passages == fresh.store.counts()["chunks"]
    for query in QUERIES:
        assert_same_matches(keyword(fresh, query), keyword(fresh, query, postings=False))


def test_keyword_index_updated_by_a_run_equals_one_built_from_every_chunk(
    write_doc, fake_settings, monkeypatch
):
    write_doc(
        "a.md", markdown_doc(title="Vendor lead times", sections={"Lesson": "Lead times slip."})
    )
    write_doc(
        "b.md", markdown_doc(title="Runbook gaps", sections={"Lesson": "Runbooks lag the pager."})
    )
    write_doc(
        "c.md", markdown_doc(title="Close slipped", sections={"Lesson": "Accruals were late."})
    )
    run_index([write_doc.root], fake_settings)
    builds, build = [], KeywordIndex.build
    monkeypatch.setattr(KeywordIndex, "build", lambda *a, **k: builds.append(1) or build(*a, **k))
    write_doc(
        "a.md",
        markdown_doc(title="Vendor lead times", sections={"Lesson": "Lead times slip twice."}),
    )
    (write_doc.root / "c.md").unlink()  # the largest chunk ids: SQLite reuses them for d.md
    write_doc(
        "d.md", markdown_doc(title="Pager storms", sections={"Lesson": "The pager rang all night."})
    )
    run_index([write_doc.root], fake_settings)
    assert builds == []  # updated from the live generation's postings
    kb = KnowledgeBase(fake_settings)
    updated = KeywordIndex.load(fake_settings.kb_dir / CURRENT / KEYWORDS_NAME)
    fresh = build(kb.store.chunk_terms.all(), kb.store.chunk_terms.term_ids())
    assert (updated.passages, updated.size) == (fresh.passages, fresh.size)
    for name in ("offsets", "chunk_ids", "tf"):
        assert np.array_equal(np.asarray(getattr(updated, name)), getattr(fresh, name)), name
    assert updated.scores(["pager"]).nonzero()[0].size == 2
