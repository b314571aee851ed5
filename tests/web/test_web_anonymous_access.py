"""KB_ANONYMOUS_ACCESS=false: an anonymous visitor reads nothing (pages send them to sign
in, /api answers 401), while signed-in people read as before. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.admin_support import build_levels_index, serve, signed_in, token_headers

SEARCH = {"q": "valve gasket", "mode": "keyword"}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_levels_index(tmp_path_factory.mktemp("anonymous"))


@pytest.fixture
def client(index, state_url) -> Iterator[TestClient]:
    with serve(index, state_url, anonymous_access=False) as client:
        yield client


@pytest.mark.parametrize(
    "path", ["/", "/?q=gasket", "/documents/pub", "/glossary", "/kickoff", "/formats"]
)
def test_web_anonymous_access_off_sends_pages_to_sign_in(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "path",
    ["/api/search?q=gasket", "/api/documents/pub", "/api/documents/pub/related", "/api/info"],
)
def test_web_anonymous_access_off_answers_the_api_401_saying_why(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert "KB_ANONYMOUS_ACCESS" in response.json()["detail"]
    assert "gasket" not in response.text.lower()


def test_web_anonymous_access_off_leaves_sign_in_and_health_open(client):
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/api/kickoff", json={"brief": "# Valve gasket"}).status_code == 401


def test_web_anonymous_access_off_signed_in_people_read_as_before(client):
    headers = token_headers(client, "rita")
    ids = {hit["id"] for hit in client.get("/api/search", params=SEARCH, headers=headers).json()}
    assert ids == {"pub", "int"}
    reader = signed_in(client, "rita")
    assert reader.get("/documents/pub").status_code == 200
    assert "Gasket report pub" in reader.get("/", params=SEARCH).text


def test_web_anonymous_access_on_by_default_shows_visitors_public_documents(index, state_url):
    with serve(index, state_url) as client:
        ids = [hit["id"] for hit in client.get("/api/search", params=SEARCH).json()]
        assert ids == ["pub"]
        assert client.get("/documents/pub").status_code == 200
