"""Keyword scoring: postings in memory score as FTS5 does, kept in step with every index
run; an index written before postings existed is refused with what to run."""

import json
import random
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from indexer import run_index
from kb.cli import app
from kb.index.filters import filter_sql
from kb.index.generations import CURRENT, DB_NAME, current_generation
from kb.index.keywords import FTS_WEIGHTS, KEYWORDS_NAME, Fts5Scoring, Postings
from kb.index.store import Store
from kb.knowledge_base import KnowledgeBase
from kb.problems import IndexUnavailableError
from kb.search import retrievers
from kb.search.query import fts_phrases
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


def keyword(kb, query, filters=Filters(), expansions=()):
    """Keyword matches by BM25 alone (coverage_power 0): what FTS5 ranks."""
    gen = kb.generation
    return retrievers.keyword_matches(
        gen.store, gen.keywords, query, filters, list(expansions), coverage_power=0
    )


def fts5_ranking(kb, query, filters=Filters(), expansions=()):
    """FTS5's own ranking of the whole query (its phrases joined by OR) over the chunks that
    pass the filters, each document at its best chunk: what keyword search must give."""
    phrases = fts_phrases(query, list(expansions))
    if not phrases:
        return []
    where, params = filter_sql(filters)
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    sql = (
        f"SELECT c.doc_rowid, s.id, s.score FROM (SELECT rowid AS id, -bm25(chunks_fts, {weights})"
        " AS score FROM chunks_fts WHERE chunks_fts MATCH ?) s JOIN chunks c ON c.id = s.id"
        f" JOIN documents d ON d.rowid = c.doc_rowid WHERE {where} ORDER BY s.score DESC"
    )
    rows = kb.store.db.conn.execute(sql, [" OR ".join(phrases), *params]).fetchall()
    return retrievers.best_per_document(rows)


def assert_same_matches(found, expected):
    assert [m.doc_rowid for m in found] == [m.doc_rowid for m in expected]
    for got, want in zip(found, expected, strict=True):
        assert got.score == pytest.approx(want.score, rel=1e-6)


def search_cli(kb_dir, query):
    env = {"KB_EMBEDDER": "fake", "KB_GLOSSARY_MINING": "0"}
    return CliRunner().invoke(app, ["search", query, "--kb", str(kb_dir), "--json"], env=env)


@pytest.mark.parametrize("query", QUERIES)
def test_keywords_score_every_query_as_fts5(kb, query):
    found = keyword(kb, query)
    assert_same_matches(found, fts5_ranking(kb, query))
    assert bool(found) == ("zyxxy" not in query)


def test_keywords_score_glossary_expansions_as_fts5(kb):
    expansions = ["liquid oxygen", "gimbal lock", "vendors"]
    found = keyword(kb, "hydrazine", expansions=expansions)
    assert_same_matches(found, fts5_ranking(kb, "hydrazine", expansions=expansions))


@pytest.mark.parametrize("query", QUERIES)
def test_keywords_postings_and_fts5_backends_give_the_same_scores(kb, query):
    phrases = fts_phrases(query, ["gimbal lock"])
    postings = kb.generation.keywords.scores(phrases)
    fts5 = Fts5Scoring(kb.store).scores(phrases)
    size = max(len(postings), len(fts5))
    postings, fts5 = (np.pad(s, (0, size - len(s))) for s in (postings, fts5))
    assert np.flatnonzero(postings).tolist() == np.flatnonzero(fts5).tolist()
    np.testing.assert_allclose(postings, fts5, rtol=1e-6)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(departments=("Legal",)),
        Filters(exclude_departments=("Legal", "Finance")),
        Filters(departments=("Nobody",)),
    ],
)
@pytest.mark.parametrize("probe", [4, 0])  # 0: too few of the best pass, list the passing
def test_keywords_filters_pass_as_in_fts5(kb, filters, probe, monkeypatch):
    monkeypatch.setattr(retrievers, "FILTER_PROBE", probe)
    found = keyword(kb, "vendor gimbal schedule", filters)
    assert_same_matches(found, fts5_ranking(kb, "vendor gimbal schedule", filters))
    rows = kb.store.documents.rows([m.doc_rowid for m in found])
    departments = {rows[m.doc_rowid]["department"] for m in found}
    assert departments <= set(filters.departments or DEPARTMENTS) - set(filters.exclude_departments)


def test_keywords_word_terms_are_fts5_terms():
    assert fts.word_term("delays") == fts.word_term("delay") == "delai"
    assert fts.word_term("Café") == "cafe"
    assert fts.word_term("...") is None  # no term at all
    assert fts.word_term("root-cause") is None  # two terms: not one word


def test_keywords_follows_a_changed_and_a_deleted_file(kb, write_doc, fake_settings):
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
        assert_same_matches(keyword(fresh, query), fts5_ranking(fresh, query))
    store = fresh.store
    assert store.counts()["chunks"] == fresh.generation.keywords.postings.passages


def test_keywords_an_index_without_postings_says_to_run_kb_index(kb, write_doc, fake_settings):
    generation = current_generation(fake_settings.kb_dir)
    expected = kb.search(SearchRequest(q="vendor gimbal"))
    manifest = generation / "manifest.json"
    written = json.loads(manifest.read_text())
    assert written["keyword_index"] == "postings"
    manifest.write_text(json.dumps(written | {"keyword_index": "fts5"}))  # before postings
    shutil.rmtree(generation / KEYWORDS_NAME)
    with pytest.raises(IndexUnavailableError, match="older Lessonbase.*run `kb index`"):
        KnowledgeBase(fake_settings)
    result = search_cli(fake_settings.kb_dir, "vendor gimbal")
    assert result.exit_code == 1 and "run `kb index` to update it" in result.output
    upgraded = run_index([write_doc.root], fake_settings)
    assert upgraded.chunks_embedded == 0  # nothing embedded again, as the message says
    assert KnowledgeBase(fake_settings).search(SearchRequest(q="vendor gimbal")) == expected
    assert json.loads(search_cli(fake_settings.kb_dir, "vendor gimbal").output)


def test_keywords_missing_postings_say_to_rebuild(kb, write_doc, fake_settings):
    generation = current_generation(fake_settings.kb_dir)
    shutil.rmtree(generation / KEYWORDS_NAME)
    with pytest.raises(IndexUnavailableError, match="missing.*`kb index --rebuild`"):
        KnowledgeBase(fake_settings)
    run_index([write_doc.root], fake_settings, rebuild=True)
    assert KnowledgeBase(fake_settings).search(SearchRequest(q="vendor gimbal", mode="keyword"))


def test_keywords_next_run_stores_terms_an_older_index_lacks(kb, write_doc, fake_settings):
    generation = current_generation(fake_settings.kb_dir)
    store = Store(generation / DB_NAME)
    with store.db.transaction() as conn:
        conn.execute("DELETE FROM chunk_terms")  # as written before chunk terms existed
    store.close()
    write_doc("new.md", markdown_doc("New", sections={"Lesson": "Gimbal vendor again."}))
    run_index([write_doc.root], fake_settings)
    fresh = KnowledgeBase(fake_settings)
    assert fresh.generation.keywords.postings.passages == fresh.store.counts()["chunks"]
    for query in QUERIES:
        assert_same_matches(keyword(fresh, query), fts5_ranking(fresh, query))


def test_keywords_updated_by_a_run_equals_one_built_from_every_chunk(
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
    builds, build = [], Postings.build
    monkeypatch.setattr(Postings, "build", lambda *a, **k: builds.append(1) or build(*a, **k))
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
    updated = Postings.load(fake_settings.kb_dir / CURRENT / KEYWORDS_NAME)
    fresh = build(kb.store.chunk_terms.all(), kb.store.chunk_terms.term_ids())
    assert (updated.passages, updated.size) == (fresh.passages, fresh.size)
    for name in ("offsets", "chunk_ids", "tf"):
        assert np.array_equal(np.asarray(getattr(updated, name)), getattr(fresh, name)), name
    assert updated.scores(["pager"]).nonzero()[0].size == 2
