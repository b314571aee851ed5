"""A glossary mining that fails costs the run its new candidates, never its documents."""

import models.nlp
from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from models.base import ModelUnavailableError
from models.fake import FakeEmbedder
from tests.conftest import markdown_doc


def test_step_failed_mining_publishes_documents_and_keeps_candidates(
    write_doc, tmp_path, monkeypatch
):
    settings = Settings(kb_dir=tmp_path / "kb", embedder="fake", progress=False)
    embedder = FakeEmbedder("fake-256")  # loaded: mining stays in this process
    lesson = "Our root cause analysis (RCA) found a stale DNS record."
    write_doc("ops/a.md", markdown_doc(sections={"Lesson": lesson}))
    run_index([write_doc.root], settings, embedder=embedder)
    before = KnowledgeBase(settings).store.candidates.all()
    assert before

    def missing_pipeline(name: str = models.nlp.DEFAULT_SPACY_MODEL, *args, **kwargs):
        raise ModelUnavailableError(f"spaCy pipeline {name!r} is not installed")

    monkeypatch.setattr(models.nlp, "load_spacy", missing_pipeline)
    write_doc("ops/b.md", markdown_doc("Pager gaps", sections={"Lesson": "The rota had gaps."}))
    run = run_index([write_doc.root], settings, embedder=embedder)
    assert run.errors == [] and not run.generation_kept
    [warning] = [p for p in run.problems if p.path == "glossary mining"]
    assert warning.severity == "warning"
    assert warning.message.startswith("glossary candidates not updated: ModelUnavailableError")
    assert "is not installed" in warning.message
    kb = KnowledgeBase(settings)
    ids = {row[0] for row in kb.store.db.conn.execute("SELECT id FROM documents")}
    assert ids == {"ops-a", "ops-b"}
    assert kb.store.candidates.all() == before
