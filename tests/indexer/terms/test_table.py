"""`mine(rows, cache)` and the index run: candidates mined (spaCy) and stored in the generation."""

import shutil
import subprocess
import sys

import pytest

from indexer import run_index
from indexer.terms import Context, TermCandidate, mine
from indexer.terms.reuse import corpus_rows
from indexer.terms.table import candidate_row
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from models.fake import FakeEmbedder
from models.lazy import LazyEmbedder
from tests.conftest import EXAMPLES, REPO, markdown_doc


def test_table_candidate_row_keeps_departments_contexts_and_variants():
    candidate = TermCandidate(
        term="root cause analysis", variants={"root cause analysis": 3, "root-cause analysis": 1},
        frequency=4, document_frequency=2, doc_ids={"b", "a"},
        metadata_counts={"department": {"Operations": 3, "Engineering": 1}},
        contexts=[Context("a", "The root cause analysis found it.")], acronym="rca", score=0.9, accepted=True,
    )  # fmt: skip
    row = candidate_row(candidate, rank=1)
    assert row["display"] == "root cause analysis" and row["doc_ids"] == ["a", "b"]
    assert row["departments"] == {"Operations": 3, "Engineering": 1}
    assert row["contexts"] == [{"doc_id": "a", "sentence": "The root cause analysis found it."}]


def test_table_mines_only_when_documents_change(write_doc, tmp_path):
    settings = Settings(kb_dir=tmp_path / "kb", embedder="fake", progress=False)
    lesson = "Our root cause analysis (RCA) found a stale DNS record."
    write_doc("ops/a.md", markdown_doc(sections={"Lesson": lesson}))
    first = run_index([write_doc.root], settings)
    assert first.glossary_candidates
    assert run_index([write_doc.root], settings).glossary_candidates is None  # nothing changed
    store = KnowledgeBase(settings).store
    assert [doc_id for doc_id, _, _ in corpus_rows(store)] == ["ops-a"]
    assert store.candidates.all(1000)


def test_table_of_rows_counts_parsed_texts_and_ranks_rows(nlp):
    rows = [("a", "The wind turbine failed .", {"department": "Ops"}),
            ("b", "The wind turbine failed .", {"department": "IT"}),
            ("c", "A rotor blade of the wind turbine cracked .", {"department": "Ops"})]  # fmt: skip
    table = mine(rows, None)
    assert (table.texts_parsed, table.documents_reused) == (2, 0)  # one text twice: parsed once
    assert [row["rank"] for row in table.rows] == list(range(1, len(table.rows) + 1))
    turbine = next(row for row in table.rows if row["term"] == "wind turbine")
    assert turbine["departments"] == {"IT": 1, "Ops": 2} and turbine["doc_ids"] == ["a", "b", "c"]
    assert table.candidates_found == len(table.rows) and table.rescored is None


@pytest.mark.slow
def test_table_on_the_example_corpus(tmp_path):
    settings = Settings(kb_dir=tmp_path / "kb", embedder="fake", progress=False)
    run_index([EXAMPLES / "corpus"], settings)
    candidates = {c["term"]: c for c in KnowledgeBase(settings).store.candidates.all()}
    # An acronym paired with its expansion, as the corpus writes it out once: one candidate.
    assert candidates["service level agreement"]["acronym"] == "SLA" and "sla" not in candidates
    # A recurring term used across departments, with its departments recorded.
    assert len(candidates["runbook"]["departments"]) >= 3
    assert candidates["runbook"]["accepted"] and candidates["runbook"]["contexts"]


def unloaded_model() -> LazyEmbedder:
    """An embedder whose model a run must load first: the run mines in a child meanwhile."""
    return LazyEmbedder(lambda: FakeEmbedder("fake-256"), "fake", "fake-256", "torch")


@pytest.mark.slow
def test_table_mined_beside_embedding_equals_mined_in_process(tmp_path):
    def mined(name: str, embedder) -> tuple[list[dict], object]:
        settings = Settings(kb_dir=tmp_path / name, embedder="fake", progress=False)
        run = run_index([EXAMPLES / "corpus"], settings, embedder=embedder)
        return KnowledgeBase(settings).store.candidates.all(10_000), run

    in_process, first = mined("here", FakeEmbedder("fake-256"))  # loaded: nothing to wait for
    in_child, second = mined("child", unloaded_model())
    assert first.glossary_background_seconds is None
    assert second.glossary_background_seconds is not None  # mined in the child process
    assert in_child == in_process and in_child
    assert second.glossary_candidates == first.glossary_candidates
    assert second.glossary_texts_parsed == first.glossary_texts_parsed > 0


def test_table_process_starts_without_spacy_or_torch_from_the_pipeline():
    """The mining process re-imports the module that started the run; importing the index
    pipeline and the mining package must not import spaCy or torch (or numpy), or every
    mining process and every index run pays for them."""
    code = (
        "import sys, indexer, indexer.pipeline, indexer.terms, indexer.terms.step\n"
        "print(sorted(m for m in ('spacy', 'torch', 'thinc', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_table_mined_beside_embedding_keeps_unchanged_rows(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLES / "corpus", folder)
    settings = Settings(kb_dir=tmp_path / "kb", embedder="fake", progress=False)
    run_index([folder], settings)
    changed = sorted(folder.rglob("*.md"))[0]
    changed.write_text(changed.read_text() + "\nThe on-call runbook now names a backup.\n")
    again = run_index([folder], settings, embedder=unloaded_model())
    assert again.glossary_background_seconds is not None  # mined in the child
    assert again.glossary_texts_parsed == 1 and again.glossary_rows_kept > 0
    fresh = Settings(kb_dir=tmp_path / "fresh", embedder="fake", progress=False)
    run_index([folder], fresh)
    mined = KnowledgeBase(settings).store.candidates.all()
    assert mined == KnowledgeBase(fresh).store.candidates.all() and mined


def test_table_cut_off_passes_only_candidates_several_documents_use():
    from tests.indexer.terms.support import FakeNlp, example_documents

    rows = [(d.doc_id, d.text, dict(d.metadata)) for d in example_documents()]
    table = mine(rows, None, nlp=FakeNlp())
    accepted = [row for row in table.rows if row["accepted"]]
    assert accepted and len(accepted) < len(table.rows)
    assert all(row["document_frequency"] >= 2 for row in accepted)
    assert any(row["document_frequency"] == 1 and row["score"] >= min(r["score"] for r in accepted)
               for row in table.rows)  # fmt: skip  # scored above the cut, used once: below
