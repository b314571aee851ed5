"""create_app and what happens when the index is missing or breaks while serving."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from kb.knowledge_base import KnowledgeBase
from kb.problems import IndexUnavailableError
from kb.settings import Settings
from web.app import create_app


def test_app_create_app_raises_for_missing_index(tmp_path):
    settings = Settings(
        kb_dir=tmp_path / "nowhere", embedder="fake", progress=False, glossary_mining=False
    )
    with pytest.raises(IndexUnavailableError, match="kb index"):
        create_app(settings)


def test_app_create_app_says_to_run_kb_index_on_an_index_without_keyword_postings(
    web_settings, tmp_path
):
    kb_dir = tmp_path / "kb"
    shutil.copytree(web_settings.kb_dir, kb_dir, symlinks=True)
    manifest = kb_dir / "current" / "manifest.json"
    written = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(written | {"keyword_index": "fts5"}))  # before postings
    settings = Settings(kb_dir=kb_dir, embedder="fake", progress=False, glossary_mining=False)
    with pytest.raises(IndexUnavailableError, match="run `kb index` to update it"):
        create_app(settings)


def test_app_create_app_builds_kb_from_settings(web_settings):
    app = create_app(web_settings)
    assert app.title == "Lessonbase"
    assert isinstance(app.state.kb, KnowledgeBase)
    assert TestClient(app).get("/healthz").json()["documents"] == 3


@pytest.fixture
def broken_client(web_settings, tmp_path) -> TestClient:
    """A client whose index is replaced, after start-up, by a `current` link to nothing."""
    kb_dir = tmp_path / "kb"
    shutil.copytree(web_settings.kb_dir, kb_dir, symlinks=True)
    settings = Settings(kb_dir=kb_dir, embedder="fake", progress=False, glossary_mining=False)
    app = create_app(settings)
    (kb_dir / "current").unlink()
    (kb_dir / "current").symlink_to("gen-999999")
    return TestClient(app)


def test_app_index_lost_while_serving_gives_503_page(broken_client):
    response = broken_client.get("/", params={"q": "vendor"})
    assert response.status_code == 503
    assert "text/html" in response.headers["content-type"]
    assert "missing or corrupt" in response.text
    assert "kb index" in response.text
    assert "Index unavailable" in response.text


def test_app_index_lost_while_serving_gives_503_json(broken_client):
    for url in ("/api/search?q=vendor", "/healthz", "/api/info", "/documents/x?format=json"):
        response = broken_client.get(url)
        assert response.status_code == 503, url
        body = response.json()
        assert body["error"] == "index_unavailable"
        assert "missing or corrupt" in body["detail"]
        assert "kb index" in body["help"]
