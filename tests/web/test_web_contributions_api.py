"""Contributions through the API with tokens, on SQLite and PostgreSQL: a draft is written,
submitted, published by someone else and then found by search, from a file that validates;
refusals are clear (readers, own lessons, bad documents, returned drafts stay unsearchable)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.validate import validate_paths
from tests.conftest import new_state_url
from tests.web.contribution_support import LESSON, contribution_app, token


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request, tmp_path):
    app = contribution_app(tmp_path, new_state_url(request, tmp_path))
    yield TestClient(app)
    app.state.glossary.state.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_client(request, tmp_path):
    """Where KB_CONTRIBUTORS_PUBLISH_OWN=true lets authors publish their own."""
    folder = tmp_path / "own"
    app = contribution_app(folder, new_state_url(request, folder), contributors_publish_own=True)
    yield TestClient(app)
    app.state.glossary.state.dispose()


def write(client, who: str, document: dict = LESSON) -> dict:
    response = client.post("/api/contributions", json=document, headers=token(client, who))
    assert response.status_code == 201, response.text
    return response.json()


def step(client, who: str, cid: str, name: str, comment: str = "", status: int = 200) -> dict:
    body = {"comment": comment} if comment or name == "return" else None
    response = client.post(
        f"/api/contributions/{cid}/{name}", json=body, headers=token(client, who)
    )
    assert response.status_code == status, response.text
    return response.json()


def found(client, query: str, who: str) -> list[str]:
    response = client.get("/api/search", params={"q": query}, headers=token(client, who))
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()]


def test_contributions_api_write_submit_publish_then_search_finds_it(client):
    created = write(client, "cora")
    assert created["status"] == "draft" and created["id"]
    step(client, "cora", created["id"], "submit")
    published = step(client, "carl", created["id"], "publish", "Clear and useful.")
    assert published["status"] == "published" and published["version"] == 1
    assert [c["to_status"] for c in published["history"]] == ["draft", "submitted", "published"]
    assert created["id"] in found(client, "seals shrank cold store", "rex")
    path = Path(published["published_path"])
    assert path.parent.name == "engineering" and path.suffix == ".md"
    assert validate_paths([path]).ok
    page = client.get(f"/api/documents/{created['id']}", headers=token(client, "rex"))
    assert page.status_code == 200 and "Qualify seals" in page.text


def test_contributions_api_reader_cannot_contribute_or_publish(client):
    refused = client.post("/api/contributions", json=LESSON, headers=token(client, "rex"))
    assert refused.status_code == 403
    created = write(client, "cora")
    step(client, "cora", created["id"], "submit")
    step(client, "rex", created["id"], "publish", status=403)
    step(client, "fin", created["id"], "publish", status=403)  # another department's


def test_contributions_api_author_cannot_publish_own_unless_allowed(client, own_client):
    for server, allowed in ((client, False), (own_client, True)):
        created = write(server, "cora")
        step(server, "cora", created["id"], "submit")
        answer = step(server, "cora", created["id"], "publish", status=200 if allowed else 403)
        if allowed:
            assert answer["status"] == "published"
        else:
            assert "KB_CONTRIBUTORS_PUBLISH_OWN" in answer["detail"]


def test_contributions_api_returned_draft_is_not_searchable(client):
    created = write(client, "cora")
    step(client, "cora", created["id"], "submit")
    returned = step(client, "ed", created["id"], "return", "Add the storage temperature.")
    assert returned["status"] == "returned"
    assert returned["history"][-1]["comment"] == "Add the storage temperature."
    assert created["id"] not in found(client, "seals shrank cold store", "ed")
    mine = client.get("/api/contributions?status=returned", headers=token(client, "cora"))
    assert [c["id"] for c in mine.json()] == [created["id"]]


def test_contributions_api_drafts_are_private_to_their_author(client):
    created = write(client, "cora")
    other = client.get(f"/api/contributions/{created['id']}", headers=token(client, "carl"))
    assert other.status_code == 404
    assert client.get("/api/contributions", headers=token(client, "carl")).json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"date": "next tuesday"}, "date"),
        ({"type": "novel"}, "type"),
        ({"sensitivity": ""}, "sensitivity"),
        ({"sensitivity": "secret"}, "sensitivity"),
        ({"sections": {}}, "sections"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_contributions_api_bad_document_is_422_naming_the_field(client, change, field):
    document = {**LESSON, **change}
    response = client.post("/api/contributions", json=document, headers=token(client, "cora"))
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == field


def test_contributions_api_edit_of_published_publishes_new_version_of_same_file(client):
    created = write(client, "cora")
    step(client, "cora", created["id"], "submit")
    first = step(client, "carl", created["id"], "publish")
    changed = {**LESSON, "title": "Seals shrink in cold storage below -20 C"}
    edit = client.put(
        f"/api/contributions/{created['id']}", json=changed, headers=token(client, "cora")
    )
    assert edit.json()["status"] == "draft"
    step(client, "cora", created["id"], "submit")
    second = step(client, "carl", created["id"], "publish")
    assert second["published_path"] == first["published_path"] and second["version"] == 2
    assert "below -20 C" in Path(second["published_path"]).read_text(encoding="utf-8")
    kept = client.get(f"/api/contributions/{created['id']}/versions", headers=token(client, "cora"))
    titles = [(v["version"], v["document"]["title"]) for v in kept.json()]
    assert titles == [(1, LESSON["title"]), (2, changed["title"])]


def test_contributions_api_anonymous_is_401(client):
    assert client.post("/api/contributions", json=LESSON).status_code == 401


def test_contributions_api_app_without_publisher_refuses_and_writes_nothing(tmp_path, state_url):
    app = contribution_app(tmp_path, state_url, publishing=False)
    client = TestClient(app)
    created = write(client, "cora")
    step(client, "cora", created["id"], "submit")
    refused = step(client, "carl", created["id"], "publish", status=503)
    assert "without an indexer" in refused["detail"]
    assert not list(Path(app.state.settings.kb_dir).rglob("contributions/**/*.md"))
    listed = client.get(f"/api/contributions/{created['id']}", headers=token(client, "cora"))
    assert listed.json()["status"] == "submitted"
    app.state.glossary.state.dispose()


def test_contributions_api_each_state_is_a_usage_event_for_insights(client):
    from sqlalchemy import select

    from kb.state.tables import usage_events

    created = write(client, "cora")
    step(client, "cora", created["id"], "submit")
    step(client, "carl", created["id"], "publish")
    client.app.state.events.flush()
    with client.app.state.glossary.state.engine.connect() as conn:
        query = select(usage_events).where(usage_events.c.kind == "contribution")
        rows = conn.execute(query.order_by(usage_events.c.seq)).mappings().all()
    states = [json.loads(row["detail"])["state"] for row in rows]
    assert states == ["draft", "submitted", "published"]
    assert {row["doc_department"] for row in rows} == {LESSON["department"]}
    assert rows[-1]["doc_id"] == created["id"] and rows[0]["doc_id"] is None
