"""Who is reading, seen through what they read (tests/access_corpus.py): a proxy's user and
departments headers sent from an untrusted address read only what an anonymous visitor reads,
and a revoked API token reads nothing at all rather than falling back to anonymous."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kb.cli import app as cli
from tests.access_corpus import PEOPLE, QUERY, markers, readable
from tests.web.access_matrix_support import MAX_K, access_app, access_settings, cli_token

PROXY = ("10.0.0.5", 40000)
ELSEWHERE = ("192.168.1.9", 40000)
PERSON = {person.key: person for person in PEOPLE}
LEGAL = {"X-Forwarded-User": "lena", "X-Forwarded-Groups": "Legal"}
SEARCH = {"q": QUERY, "k": MAX_K}


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    settings = access_settings(tmp_path_factory.mktemp("access-identity"))
    return replace(
        settings,
        trusted_proxies="10.0.0.5",
        trusted_user_header="X-Forwarded-User",
        trusted_groups_header="X-Forwarded-Groups",
    )


@pytest.fixture(scope="module")
def app(settings):
    app = access_app(settings)
    yield app
    app.state.glossary.state.dispose()


def shown(app, address, path: str, headers: dict) -> set[str]:
    params = SEARCH if path.startswith("/api/") else {**SEARCH, "format": "json"}
    response = TestClient(app, client=address).get(path, params=params, headers=headers)
    assert response.status_code == 200
    return markers(response.text)


@pytest.mark.parametrize("path", ["/api/search", "/"])
def test_web_access_identity_proxy_headers_read_as_their_user_only_from_the_proxy(app, path):
    legal = {doc.marker for doc in readable(PERSON["legal"])}
    assert shown(app, PROXY, path, LEGAL) == legal
    anonymous = {doc.marker for doc in readable(PERSON["anonymous"])}
    assert shown(app, ELSEWHERE, path, LEGAL) == anonymous
    forged = {**LEGAL, "X-Forwarded-For": "10.0.0.5"}  # claiming to come through the proxy
    assert shown(app, ELSEWHERE, path, forged) == anonymous


def test_web_access_identity_revoked_token_reads_nothing(app, settings):
    token = cli_token(settings, "lena")
    headers = {"Authorization": f"Bearer {token}"}
    client = TestClient(app)
    legal = {doc.marker for doc in readable(PERSON["legal"])}
    assert markers(client.get("/api/search", params=SEARCH, headers=headers).text) == legal
    listed = CliRunner().invoke(
        cli, ["token", "list", "--user", "lena", "--kb", str(settings.kb_dir)]
    )
    token_id = listed.stdout.split()[0]
    revoked = CliRunner().invoke(cli, ["token", "revoke", token_id, "--kb", str(settings.kb_dir)])
    assert revoked.exit_code == 0, revoked.output
    for path in ("/api/search", "/api/documents/zqkale", "/api/documents/zqaster", "/api/info"):
        refused = client.get(path, params=SEARCH, headers=headers)
        assert refused.status_code == 401, path
        assert markers(refused.text) <= {path.rsplit("/", 1)[-1]}  # only the id it asked for
