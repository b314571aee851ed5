"""Reads of restricted documents are recorded (who, which, through which route) and only
those; admins list them at /admin/reads and with `kb audit reads`. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kb.cli import app as cli
from tests.web.admin_support import build_levels_index, serve, signed_in, token_headers


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_levels_index(tmp_path_factory.mktemp("admin-reads"))


@pytest.fixture
def client(index, state_url) -> Iterator[TestClient]:
    with serve(index, state_url) as client:
        yield client


def reads(client: TestClient, admin: TestClient, **filters) -> list[dict]:
    response = admin.get("/admin/reads", params={**filters, "format": "json"})
    assert response.status_code == 200, response.text
    return response.json()["reads"]


def test_web_admin_reads_restricted_reads_are_recorded_with_their_route(client):
    lena = signed_in(client, "lena")
    assert lena.get("/documents/res").status_code == 200
    assert lena.get("/documents/res?format=json").status_code == 200
    assert (
        client.get("/api/documents/res", headers=token_headers(client, "lena")).status_code == 200
    )
    for doc_id in ("pub", "int"):
        assert lena.get(f"/documents/{doc_id}").status_code == 200
    admin = signed_in(client, "ada")
    recorded = reads(client, admin)
    assert [(r["user"], r["document_id"]) for r in recorded] == [("lena", "res")] * 3
    assert sorted(r["route"] for r in recorded) == ["api", "json", "page"]


def test_web_admin_reads_refused_or_listed_reads_are_not_recorded(client):
    reader = signed_in(client, "rita")
    assert reader.get("/documents/res").status_code == 404  # not hers to read
    lena = signed_in(client, "lena")
    lena.get("/?q=gasket&mode=keyword")  # a hit in a list is not a read in full
    lena.get("/api/documents/res/related")
    assert reads(client, signed_in(client, "ada")) == []


def test_web_admin_reads_filters_by_user_document_and_time(client):
    signed_in(client, "lena").get("/documents/res")
    admin = signed_in(client, "ada")
    admin.get("/documents/res")
    assert {r["user"] for r in reads(client, admin)} == {"lena", "ada"}
    assert [r["user"] for r in reads(client, admin, user="lena")] == ["lena"]
    assert reads(client, admin, document="pub") == []
    assert reads(client, admin, since="2999-01-01") == []
    assert len(reads(client, admin, since="2000-01-01T00:00:00Z")) == 2
    paged = admin.get("/admin/reads", params={"per_page": 1, "page": 2, "format": "json"}).json()
    assert paged["total"] == 2 and paged["pages"] == 2 and len(paged["reads"]) == 1
    html = admin.get("/admin/reads").text
    assert "lena" in html and 'href="/documents/res"' in html


@pytest.mark.parametrize(
    ("params", "named"),
    [({"since": "yesterday"}, "since"), ({"per_page": 1000}, "per_page"), ({"page": 0}, "page")],
)
def test_web_admin_reads_bad_filter_is_refused_naming_it(client, params, named):
    response = signed_in(client, "ada").get("/admin/reads", params={**params, "format": "json"})
    assert response.status_code == 400 and response.json()["detail"].startswith(named)


def test_web_admin_reads_are_listed_for_admins_only(client):
    anonymous = client.get("/admin/reads", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert signed_in(client, "lena").get("/admin/reads?format=json").status_code == 403


def test_web_admin_reads_cli_lists_them(client, index, state_url):
    signed_in(client, "lena").get("/documents/res")
    client.app.state.read_log.flush()  # the server writes its queue within a second
    env = {"KB_DATABASE_URL": state_url}
    arguments = ["audit", "reads", "--kb", str(index.kb_dir)]
    result = CliRunner().invoke(cli, [*arguments, "--user", "lena", "--json"], env=env)
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [(r["user"], r["document_id"], r["route"]) for r in listed["reads"]] == [
        ("lena", "res", "page")
    ]
    text = CliRunner().invoke(cli, [*arguments, "--document", "res"], env=env)
    assert "lena" in text.output and "res" in text.output
    empty = CliRunner().invoke(cli, [*arguments, "--user", "rita"], env=env)
    assert "No reads" in empty.output
    bad = CliRunner().invoke(cli, [*arguments, "--since", "soon"], env=env)
    assert bad.exit_code == 2 and "--since" in bad.output
