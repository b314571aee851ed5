"""The lifecycle status on the web: a facet with counts and a filter on the search page, its
JSON twin and /api/search; archived documents hidden unless asked for, access still applied;
the document page's badge; related lessons without archived ones."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import markdown_doc
from tests.web.conftest import build_index
from web.app import create_app

QUERY = "valve gasket"


def doc(doc_id: str, department: str, status: str, sensitivity: str = "public") -> str:
    return markdown_doc(
        f"Gasket report {doc_id}",
        department=department,
        sections={
            "What happened": "The valve gasket cracked in the cold.",
            "Lesson": "Warm the gaskets first.",
            "Evidence": "No cracked gasket since the heaters went in.",
        },
        extra_front=f"id: {doc_id}\nstatus: {status}\nsensitivity: {sensitivity}\n",
    )


CORPUS = {
    "learned.md": doc("learned", "Engineering", "lesson-learned"),
    "acting.md": doc("acting", "Operations", "action-in-progress"),
    "seen.md": doc("seen", "Operations", "observation"),
    "old.md": doc("old", "Finance", "archived"),
    "secret.md": doc("secret", "Legal", "archived", "restricted"),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    settings = build_index(tmp_path_factory.mktemp("lifecycle-index"), CORPUS, max_k=20)
    app = create_app(settings)
    yield TestClient(app)
    app.state.glossary.state.dispose()


def api_ids(client: TestClient, **params) -> set[str]:
    response = client.get("/api/search", params={"q": QUERY, **params})
    assert response.status_code == 200, response.text
    return {hit["id"] for hit in response.json()}


def status_facet(client: TestClient, **params) -> dict[str, int]:
    data = client.get("/", params={"q": QUERY, "format": "json", **params}).json()
    return {link["value"]: link["count"] for link in data["facets"].get("status", [])}


def test_web_lifecycle_api_hides_archived_unless_asked(client):
    assert api_ids(client) == {"learned", "acting", "seen"}
    # asked for: the archived one a visitor may read, never the restricted one
    assert api_ids(client, include_archived="true") == {"learned", "acting", "seen", "old"}
    assert api_ids(client, status="archived") == {"old"}


def test_web_lifecycle_api_filters_by_status(client):
    assert api_ids(client, status=["observation", "Lesson learned"]) == {"learned", "seen"}


def test_web_lifecycle_api_unknown_status_is_a_422_naming_it(client):
    response = client.get("/api/search", params={"q": QUERY, "status": "final"})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["query", "status"]
    assert "unknown status 'final'" in error["msg"] and "lesson-learned" in error["msg"]


def test_web_lifecycle_status_facet_counts_follow_include_archived(client):
    assert status_facet(client) == {
        "lesson-learned": 1,
        "action-in-progress": 1,
        "observation": 1,
    }
    assert status_facet(client, include_archived="true")["archived"] == 1
    chosen = status_facet(client, status="observation")
    assert chosen == {"lesson-learned": 1, "action-in-progress": 1, "observation": 1}


def test_web_lifecycle_search_page_has_status_facet_and_archived_checkbox(client):
    html = client.get("/", params={"q": QUERY}).text
    facet = re.search(r'<section class="facet" aria-labelledby="facet-status">.*?</section>',
                      html, re.S).group(0)  # fmt: skip
    assert 'data-value="lesson-learned"' in facet and "Lesson learned" in facet
    assert "archived" not in facet
    assert re.search(r'<input type="checkbox" name="include_archived" value="true">', html)
    ticked = client.get("/", params={"q": QUERY, "include_archived": "true"}).text
    assert re.search(r'name="include_archived" value="true" checked>', ticked)
    assert "Gasket report old" in ticked and "Gasket report old" not in html
    checked = client.get("/", params={"q": QUERY, "status": "observation"}).text
    assert re.search(r'name="status" value="observation" checked>', checked)


def test_web_lifecycle_document_page_shows_the_state_as_a_badge(client):
    html = client.get("/documents/old").text
    assert re.search(r'<span class="badge badge-status badge-status-archived"[^>]*>Archived</span>',
                     html)  # fmt: skip
    html = client.get("/documents/learned").text
    assert 'badge-status-lesson-learned" title="Lifecycle status">Lesson learned<' in html
    assert 'href="/?status=lesson-learned"' in html


def test_web_lifecycle_related_lessons_leave_archived_out(client):
    related = client.get("/api/documents/learned/related", params={"k": 10}).json()
    assert {item["id"] for item in related} == {"acting", "seen"}
