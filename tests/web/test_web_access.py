"""An anonymous visitor through the search page's JSON, /api/search and document routes:
internal and restricted documents are never hits, never counted, and answer 404 alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import markdown_doc
from tests.kb.glossary.glossary_support import FAST_HASHER
from tests.web.conftest import build_index
from web.app import create_app

TEXT = "The valve gasket cracked in the cold. Valve gasket again. "


def doc(doc_id: str, department: str, sensitivity: str) -> str:
    return markdown_doc(
        f"Gasket report {doc_id}",
        department=department,
        sections={"What happened": TEXT, "Lesson": "Warm the gaskets first."},
        extra_front=f"id: {doc_id}\nsensitivity: {sensitivity}\n",
    )


CORPUS = {
    "pub.md": doc("pub", "Engineering", "public"),
    "int.md": doc("int", "Finance", "internal"),
    "res.md": doc("res", "Legal", "restricted"),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    settings = build_index(tmp_path_factory.mktemp("access-index"), CORPUS, max_k=20)
    app = create_app(settings)
    app.state.glossary.auth.hasher = FAST_HASHER
    yield TestClient(app)
    app.state.glossary.state.dispose()


def token_for(
    client: TestClient, name: str, role: str, departments: tuple[str, ...] = ()
) -> dict[str, str]:
    glossary = client.app.state.glossary
    glossary.auth.create_user(name, "a long passphrase", role, departments)
    token, _ = glossary.tokens.create(name)
    return {"Authorization": f"Bearer {token}"}


def test_web_access_api_search_shows_an_anonymous_visitor_only_public(client):
    response = client.get("/api/search", params={"q": "valve gasket", "mode": "keyword"})
    assert [hit["id"] for hit in response.json()] == ["pub"]
    assert response.headers["X-Total-Count"] == "1"


def test_web_access_search_page_counts_only_public(client):
    params = {"q": "valve gasket", "mode": "keyword", "format": "json"}
    data = client.get("/", params=params).json()
    assert [hit["id"] for hit in data["hits"]] == ["pub"]
    assert data["total"] == 1
    counts = {v["value"]: v["count"] for v in data["facets"]["department"]}
    assert counts == {"Engineering": 1}


@pytest.mark.parametrize(
    "path", ["/api/documents/{}", "/documents/{}", "/api/documents/{}/related"]
)
def test_web_access_unreadable_document_answers_like_a_missing_one(client, path):
    for doc_id in ("int", "res"):
        refused = client.get(path.format(doc_id))
        missing = client.get(path.format("nosuch"))
        assert refused.status_code == missing.status_code == 404
        assert refused.text.replace(doc_id, "X") == missing.text.replace("nosuch", "X")
    assert client.get(path.format("pub")).status_code == 200


def test_web_access_signed_in_reader_reads_internal_and_an_admin_everything(client):
    params = {"q": "valve gasket", "mode": "keyword"}
    reader = token_for(client, "rita", "reader")
    ids = {hit["id"] for hit in client.get("/api/search", params=params, headers=reader).json()}
    assert ids == {"pub", "int"}
    assert client.get("/api/documents/res", headers=reader).status_code == 404
    admin = token_for(client, "ada", "admin")
    ids = {hit["id"] for hit in client.get("/api/search", params=params, headers=admin).json()}
    assert ids == {"pub", "int", "res"}
    assert client.get("/api/documents/res", headers=admin).status_code == 200


def test_web_access_department_member_reads_its_restricted_document(client):
    params = {"q": "valve gasket", "mode": "keyword"}
    lawyer = token_for(client, "lena", "reader", ("Legal",))
    ids = {hit["id"] for hit in client.get("/api/search", params=params, headers=lawyer).json()}
    assert ids == {"pub", "int", "res"}
    assert client.get("/api/documents/res", headers=lawyer).status_code == 200
    clerk = token_for(client, "carl", "reader", ("Finance",))
    assert client.get("/api/documents/res", headers=clerk).status_code == 404


def test_web_access_related_lessons_leave_out_what_the_visitor_may_not_read(client):
    admin = token_for(client, "root", "admin")
    path = "/api/documents/pub/related"
    assert {r["id"] for r in client.get(path, headers=admin).json()} == {"int", "res"}
    assert client.get(path).json() == []
    page = client.get("/documents/pub", params={"format": "json"}).json()
    assert "Gasket report res" not in str(page) and "Gasket report int" not in str(page)


def test_web_access_kickoff_pack_holds_only_what_the_visitor_may_read(client):
    brief = {"brief": "# Plant upgrade\n\nThe valve gasket cracked in the cold last winter."}
    admin = token_for(client, "kim", "admin")
    everything = str(client.post("/api/kickoff", json=brief, headers=admin).json())
    assert "Gasket report int" in everything and "Gasket report res" in everything
    anonymous = str(client.post("/api/kickoff", json=brief).json())
    assert "Gasket report int" not in anonymous and "Gasket report res" not in anonymous
    assert "Gasket report pub" in anonymous


def test_web_access_search_form_counts_only_readable_departments(client):
    html = client.get("/").text
    assert "Engineering" in html
    assert "Finance" not in html and "Legal" not in html


def test_web_access_index_info_counts_only_readable(client):
    info = client.get("/api/info").json()
    assert info["departments"] == {"Engineering": 1}
    assert info["counts"]["documents"] == 1


def test_web_access_index_info_hides_totals_and_paths_from_visitors(client):
    info = client.get("/api/info").json()
    assert "kb_dir" not in info
    assert set(info["counts"]) == {"documents"}
    admin = client.get("/api/info", headers=token_for(client, "ines", "admin")).json()
    assert admin["counts"]["documents"] == 3 and "chunks" in admin["counts"]
    assert "kb_dir" in admin


def test_web_access_footer_and_healthz_count_only_readable(client):
    assert "Index: 1 documents" in client.get("/formats").text
    assert client.get("/healthz").json()["documents"] == 1
