"""Two web app instances on one state database, as two servers behind a proxy: sessions and
API tokens work on both; a server refuses an older schema. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kb.cli import app as cli
from kb.knowledge_base import KnowledgeBase
from kb.state import StaleSchemaError, StateDB
from kb.state.migrate import upgrade
from tests.kb.glossary.glossary_support import FAST_HASHER, build_index, copy_index
from tests.web.glossary_support import csrf, login, make_app, on_state_database
from web.app import create_app


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("web-state"))


@pytest.fixture
def settings(template, tmp_path, state_url):
    return replace(copy_index(template, tmp_path), database_url=state_url)


@pytest.fixture
def two_servers(settings):
    settings = on_state_database(settings, settings.database_url)  # once, before both start
    first = make_app(settings)  # adds the test users
    second = create_app(settings, KnowledgeBase(settings))
    second.state.glossary.auth.hasher = FAST_HASHER
    yield TestClient(first), TestClient(second)
    for application in (first, second):
        application.state.glossary.state.dispose()


def test_web_state_session_from_one_server_works_on_the_other_until_logout(two_servers):
    first, second = two_servers
    login(first, "ed")
    second.cookies = first.cookies
    assert second.get("/glossary/review").status_code == 200
    second.post("/logout", data={"csrf_token": csrf(second)})
    response = first.get("/glossary/review", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_web_state_api_token_acts_as_its_user_on_both_servers(two_servers):
    first, second = two_servers
    tokens = first.app.state.glossary.tokens
    editor, record = tokens.create("ed", "ci")
    reader, _ = tokens.create("rita")
    for client in (first, second):
        headers = {"Authorization": f"Bearer {editor}"}
        assert client.get("/api/glossary/review", headers=headers).status_code == 200
        assert client.get("/api/search?q=vendor", headers=headers).status_code == 200
    assert first.get("/api/glossary/review").status_code == 401
    as_reader = second.get("/api/glossary/review", headers={"Authorization": f"Bearer {reader}"})
    assert as_reader.status_code == 403
    tokens.revoke(record.id)
    for path in ("/api/glossary/review", "/api/search?q=vendor"):
        refused = second.get(path, headers={"Authorization": f"Bearer {editor}"})
        assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
        assert refused.headers["www-authenticate"].startswith("Bearer")


def test_web_state_edit_saved_on_one_server_makes_the_other_refuse_a_stale_save(two_servers):
    first, second = two_servers
    glossary = first.app.state.glossary
    glossary.editor.accept(glossary.auth.user("ed"), "lead time")
    login(first, "eve")
    login(second, "ed")
    for client in (first, second):
        assert 'name="version" value="1"' in client.get("/glossary/terms/lead%20time/edit").text
    url = "/glossary/terms/lead%20time/edit"
    form = {"version": "1", "label": "Lead time", "status": "draft"}
    saved = first.post(url, data={**form, "definition": "Eve's.", "csrf_token": csrf(first)})
    assert saved.status_code == 200  # redirected to the term's page
    stale = second.post(url, data={**form, "definition": "Ed's.", "csrf_token": csrf(second)})
    assert stale.status_code == 409 and "eve saved version 2" in stale.text
    assert second.app.state.glossary.terms.get("lead time").definition == "Eve's."


def test_web_state_server_refuses_an_older_schema_naming_the_command(settings, tmp_path):
    state = StateDB(settings.database_url, settings.kb_dir)
    upgrade(state, "0001")
    with pytest.raises(StaleSchemaError, match="kb db upgrade"):
        create_app(settings, KnowledgeBase(settings))
    env = {"KB_DATABASE_URL": settings.database_url, "KB_EMBEDDER": "fake"}
    result = CliRunner().invoke(cli, ["serve", "--kb", str(settings.kb_dir)], env=env)
    assert result.exit_code == 1
    assert "revision 0001" in result.output and "kb db upgrade" in result.output
    state.dispose()


def test_web_state_empty_database_is_created_only_when_embedded(settings):
    if settings.database_url.startswith("sqlite"):
        application = create_app(settings, KnowledgeBase(settings))
        assert application.state.glossary.state.revision() is not None
        application.state.glossary.state.dispose()
    else:  # several servers may start at once: `kb db upgrade` creates it, once
        with pytest.raises(StaleSchemaError, match="no schema yet"):
            create_app(settings, KnowledgeBase(settings))
