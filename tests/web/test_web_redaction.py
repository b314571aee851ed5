"""Names hidden outside a document's department, through the pages and the JSON API: the
document page says so, and no route an outsider reads shows a name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.kb.glossary.glossary_support import FAST_HASHER
from tests.kb.redaction_corpus import build_redaction_index, named
from tests.web.glossary_support import PASSWORD, login
from web.app import create_app

BRIEF = {"brief": "Plan the cutover weekend: rewrite the gasket valve runbook and keep spares."}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    app = create_app(build_redaction_index(tmp_path_factory.mktemp("web-redaction")))
    app.state.glossary.auth.hasher = FAST_HASHER
    yield TestClient(app)
    app.state.glossary.state.dispose()


@pytest.fixture(scope="module")
def member(client) -> TestClient:
    """A reader of the Operations department, signed in (pages read sessions, not tokens)."""
    client.app.state.glossary.auth.create_user("ops", PASSWORD, "reader", ("Operations",))
    signed_in = TestClient(client.app)
    assert login(signed_in, "ops").status_code == 303
    return signed_in


OUTSIDER_ROUTES = [
    "/documents/cutover",
    "/documents/cutover?format=json",
    "/api/documents/cutover",
    "/api/documents/budget/related",
    "/api/search?q=rolled+back+gasket+valve+vendor&mode=keyword",
    "/?q=rolled+back+gasket+valve+vendor&mode=keyword&format=json",
]


@pytest.mark.parametrize("path", OUTSIDER_ROUTES)
def test_web_redaction_anonymous_visitor_reads_no_name(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "cutover" in response.text and named(response.text) == []


def test_web_redaction_document_page_says_names_are_hidden(client, member):
    page = client.get("/documents/cutover").text
    assert "Names are hidden: outside the Operations department" in page
    assert "may still show until `kb index` runs again" in page  # indexed without names
    own = member.get("/documents/cutover").text
    assert "Names are hidden" not in own and "Jenna Cole" in own
    assert member.get("/api/documents/cutover").json()["names_hidden"] is False


def test_web_redaction_kickoff_pack_shows_roles_and_keeps_names_saved(client, member):
    built = client.post("/api/kickoff", json={**BRIEF, "save": True})
    assert built.status_code == 201 and named(built.text) == []
    url = built.json()["links"]["url"]
    assert named(client.get(url, params={"format": "json"}).text) == []
    assert named(client.get(url + "/export.md").text) == []
    assert named(member.get(url, params={"format": "json"}).text) != []
