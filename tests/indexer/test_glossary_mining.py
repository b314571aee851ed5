"""The index run mines glossary candidates (spaCy) and stores them in the generation."""

import shutil
import subprocess
import sys

import pytest

from indexer import background_mining, run_index
from indexer.candidate_reuse import corpus_rows
from indexer.glossary_mining import candidate_row
from indexer.terms import Context, TermCandidate
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from models.fake import FakeEmbedder
from models.lazy import LazyEmbedder
from tests.conftest import EXAMPLES, REPO, markdown_doc


def test_glossary_mining_candidate_row_keeps_departments_contexts_and_variants():
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


def test_glossary_mining_runs_only_when_documents_change(write_doc, tmp_path):
    settings = Settings(kb_dir=tmp_path / "kb", embedder="fake", progress=False)
    write_doc(
        "ops/a.md",
        markdown_doc(
            sections={"Lesson": "Our root cause analysis (RCA) found a stale DNS record."}
        ),
    )
    first = run_index([write_doc.root], settings)
    assert first.glossary_candidates
    assert run_index([write_doc.root], settings).glossary_candidates is None  # nothing changed
    store = KnowledgeBase(settings).store
    assert [doc_id for doc_id, _, _ in corpus_rows(store)] == ["ops-a"]
    assert store.term_candidates(limit=1000)


@pytest.mark.slow
def test_glossary_mining_on_the_example_corpus(tmp_path):
    settings = Settings(kb_dir=tmp_path / "kb", embedder="fake", progress=False)
    run_index([EXAMPLES / "corpus"], settings)
    candidates = {c["term"]: c for c in KnowledgeBase(settings).store.term_candidates()}
    # An acronym paired with its expansion, as the corpus writes it out once.
    assert candidates["sla"]["expansion"] == "service level agreement"
    # A recurring term used across departments, with its departments recorded.
    assert len(candidates["runbook"]["departments"]) >= 3
    assert candidates["runbook"]["accepted"] and candidates["runbook"]["contexts"]


@pytest.mark.slow
def test_glossary_mining_in_a_child_process_finds_the_same_candidates(tmp_path, monkeypatch):
    def mined(name: str) -> tuple[list[dict], int]:
        settings = Settings(kb_dir=tmp_path / name, embedder="fake", progress=False)
        run = run_index([EXAMPLES / "corpus"], settings)
        return KnowledgeBase(settings).store.term_candidates(limit=10_000), run

    in_process, first = mined("here")
    monkeypatch.setattr(background_mining, "BACKGROUND_MIN_DOCUMENTS", 1)
    spawned = []
    monkeypatch.setattr(
        background_mining.BackgroundMining, "__init__", _recording(spawned), raising=True
    )
    in_child, second = mined("child")
    assert spawned, "the run did not mine in a child process"
    assert in_child == in_process and in_child
    assert second.glossary_candidates == first.glossary_candidates
    assert second.glossary_texts_parsed == first.glossary_texts_parsed > 0


def _recording(spawned: list):
    start = background_mining.BackgroundMining.__init__

    def init(self, documents, cache, stored):
        spawned.append(len(documents))
        start(self, documents, cache, stored)

    return init


def test_glossary_mining_process_starts_without_spacy_or_torch_from_the_pipeline():
    """The mining process re-imports the module that started the run; importing the index
    pipeline must not import spaCy or torch, or every mining process pays for them."""
    code = (
        "import sys, indexer, indexer.pipeline, indexer.background_mining\n"
        "print(sorted(m for m in ('spacy', 'torch', 'thinc') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_glossary_mining_in_a_child_process_keeps_unchanged_rows(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLES / "corpus", folder)
    settings = Settings(kb_dir=tmp_path / "kb", embedder="fake", progress=False)
    run_index([folder], settings)
    changed = sorted(folder.rglob("*.md"))[0]
    changed.write_text(changed.read_text() + "\nThe on-call runbook now names a backup.\n")
    monkeypatch.setattr(background_mining, "BACKGROUND_MIN_DOCUMENTS", 1)
    again = run_index([folder], settings)
    assert again.glossary_background_seconds is not None  # mined in the child
    assert again.glossary_texts_parsed == 1 and again.glossary_rows_kept > 0
    fresh = Settings(kb_dir=tmp_path / "fresh", embedder="fake", progress=False)
    run_index([folder], fresh)
    mined = KnowledgeBase(settings).store.term_candidates()
    assert mined == KnowledgeBase(fresh).store.term_candidates() and mined


def test_glossary_mining_beside_a_model_that_must_load_first():
    unloaded = LazyEmbedder(lambda: FakeEmbedder("fake-256"), "fake", "fake-256", "torch")
    assert background_mining.model_to_load(unloaded, missing_chunks=3)
    assert not background_mining.model_to_load(unloaded, missing_chunks=0)
    assert not background_mining.model_to_load(FakeEmbedder("fake-256"), missing_chunks=3)
    unloaded.encode(["loads it"])
    assert not background_mining.model_to_load(unloaded, missing_chunks=3)
