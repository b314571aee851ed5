"""The public glossary pages, their JSON twins, the API and the exports."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal

from kb.glossary import TermFields
from tests.conftest import new_state_url
from tests.kb.glossary.glossary_support import ENGINEERING, build_index, copy_index
from tests.web.glossary_support import make_app, on_state_database

SCRIPT = "<script>alert('g')</script>"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("glossary-web"))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def app(request, template, tmp_path_factory):
    """One app per module and backend: the glossary's decisions on SQLite or PostgreSQL."""
    settings = copy_index(template, tmp_path_factory.mktemp("glossary-web-app"))
    url = new_state_url(request, settings.kb_dir)
    app = make_app(on_state_database(settings, url))
    glossary = app.state.glossary
    ed = glossary.auth.user("ed")
    glossary.editor.accept(
        ed,
        "lead time",
        0,
        TermFields(
            label="Lead time",
            definition=f"Order to delivery. {SCRIPT}",
            acronym="LT",
            synonyms=("lead times", "delivery time"),
            owner="Procurement",
            status="approved",
        ),
    )
    glossary.editor.accept(ed, "vendor", 0, TermFields(label="Vendor", related=("lead time",)))
    glossary.editor.merge(ed, "handover", "vendor")
    glossary.editor.reject(ed, "edi", f"reason {SCRIPT}")
    return app


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    return TestClient(app)


def test_web_glossary_nav_links_the_glossary_on_every_page(client):
    for url in ("/", "/formats", "/glossary"):
        assert '<a href="/glossary"' in client.get(url).text
    assert 'href="/glossary" aria-current="page">Glossary</a>' in client.get("/glossary").text
    assert "Sign in" in client.get("/").text


def test_web_glossary_page_lists_accepted_terms_with_definitions(client):
    html = client.get("/glossary").text
    assert "2 terms" in html
    assert 'href="/glossary/terms/lead%20time">Lead time</a>' in html
    assert "Order to delivery." in html
    assert "/glossary/terms/edi" not in html and "electronic" not in html  # rejected: not listed
    assert 'badge status-draft">draft' in html  # Vendor is a draft


def test_web_glossary_page_search_and_json_twin(client):
    html = client.get("/glossary", params={"q": "delivery time"}).text
    assert "1 term match" in html and "Lead time" in html and ">Vendor<" not in html
    data = client.get("/glossary", params={"q": "LT", "format": "json"}).json()
    assert data["total"] == 1 and data["terms"][0]["key"] == "lead time"
    assert client.get("/api/glossary/terms", params={"q": "vendor"}).json()[0]["label"] == "Vendor"


def test_web_glossary_term_page_shows_everything(client):
    html = client.get("/glossary/terms/lead%20time").text
    for text in (
        "Lead time",
        "LT",
        "lead times",
        "delivery time",
        "Procurement",
        "approved",
        "Where it is used",
        "Engineering",
        "History",
        "accept",
    ):
        assert text in html, text
    assert f'href="/documents/{ENGINEERING}"' in html


def test_web_glossary_term_page_json_twin_and_api(client):
    data = client.get("/glossary/terms/vendor", params={"format": "json"}).json()
    assert data["synonyms"] == ["handover", "hand-over"]
    assert data["related_terms"] == [{"key": "lead time", "label": "Lead time"}]
    assert data["merged"] == ["handover"]
    assert set(data["departments"]) == {"Engineering", "Finance", "Operations"}
    assert [h["action"] for h in data["history"]] == ["merge-in", "accept"]
    assert client.get("/api/glossary/terms/vendor").json() == data


def test_web_glossary_term_page_counts_documents_and_occurrences_apart(client):
    data = client.get("/glossary/terms/lead%20time", params={"format": "json"}).json()
    assert data["departments"] == {"Engineering": {"documents": 1, "occurrences": 3}}
    assert [doc["id"] for doc in data["documents"]] == [ENGINEERING]
    html = client.get("/glossary/terms/lead%20time").text
    assert "1 document in 1 department" in html
    assert "1 document</span>" in html and "3 occurrences" in html


def test_web_glossary_merged_term_redirects_to_its_target(client):
    response = client.get("/glossary/terms/handover", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/glossary/terms/vendor"


def test_web_glossary_unknown_or_rejected_term_is_404(client):
    for key in ("edi", "no%20such%20thing"):
        response = client.get(f"/glossary/terms/{key}")
        assert response.status_code == 404 and "not in the glossary" in response.text
    assert client.get("/api/glossary/terms/edi").status_code == 404


def test_web_glossary_escapes_everything_rendered(client):
    for url in ("/glossary", "/glossary/terms/lead%20time", "/glossary?q=%3Cscript%3E"):
        html = client.get(url).text
        assert "<script" not in html.lower(), url
    assert "&lt;script&gt;" in client.get("/glossary/terms/lead%20time").text


def test_web_glossary_exports_as_files(client, app):
    csv = client.get("/glossary/export.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert 'filename="glossary.csv"' in csv.headers["content-disposition"]
    assert csv.content == app.state.glossary.export("csv").encode("utf-8")
    data = client.get("/glossary/export.json").json()
    assert [t["key"] for t in data["terms"]] == ["lead time", "vendor"]
    ttl = client.get("/glossary/export.ttl")
    assert ttl.headers["content-type"].startswith("text/turtle")
    graph = Graph(bind_namespaces="none").parse(data=ttl.text, format="turtle")
    assert Literal("Lead time", lang="en") in set(graph.objects())
    assert client.get("/glossary/export.xlsx").status_code == 404


def test_web_glossary_expansions_api(client):
    assert client.get("/api/glossary/expansions").json() == {
        "lead time": ["lt", "lead times", "delivery time"],
        "lt": ["lead time", "lead times", "delivery time"],
        "lead times": ["lead time", "lt", "delivery time"],
        "delivery time": ["lead time", "lt", "lead times"],
    }


def test_web_glossary_api_is_in_the_openapi_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/glossary/terms",
        "/api/glossary/terms/{key}",
        "/api/glossary/review",
        "/api/glossary/contested",
        "/api/glossary/expansions",
    ):
        assert path in paths, path


def test_web_glossary_merged_term_redirect_keeps_the_json_twin(client):
    response = client.get("/glossary/terms/handover?format=json", follow_redirects=False)
    assert response.headers["location"] == "/glossary/terms/vendor?format=json"
    assert client.get("/glossary/terms/handover?format=json").json()["key"] == "vendor"
