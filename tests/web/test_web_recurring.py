"""Recurring lessons on the web: "Learned before" on a document page, and `/recurring`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.kb.glossary.glossary_support import FAST_HASHER
from tests.kb.recurrence_corpus import recurrence_corpus
from tests.web.conftest import build_index
from tests.web.glossary_support import login
from web.app import create_app

PASSPHRASE = "a long passphrase"


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    settings = build_index(tmp_path_factory.mktemp("recurring"), recurrence_corpus(), max_k=20)
    app = create_app(settings)
    app.state.glossary.auth.hasher = FAST_HASHER
    yield TestClient(app)
    app.state.glossary.state.dispose()


@pytest.fixture(scope="module")
def admin(client) -> TestClient:
    """A second browser, signed in as an admin (reads everything)."""
    client.app.state.glossary.auth.create_user("ada", PASSPHRASE, "admin", ())
    browser = TestClient(client.app)
    assert login(browser, "ada", PASSPHRASE).status_code == 303
    return browser


def test_web_recurring_later_page_shows_the_earlier_lesson_and_its_date(client):
    html = client.get("/documents/ops-2021").text
    section = html[html.index('id="learned-before"') :]
    assert "Lesson eng-2014" in section and "2014-03-01" in section
    assert "Lesson man-2018" in section and "2018-05-02" in section
    assert "learned 3 times by 3 departments: 2 times before this document" in section


def test_web_recurring_document_json_twin_lists_what_came_before_and_since(client):
    data = client.get("/documents/man-2018", params={"format": "json"}).json()
    assert [lesson["id"] for lesson in data["learned_before"]] == ["eng-2014"]
    assert [lesson["id"] for lesson in data["learned_since"]] == ["ops-2021"]
    assert data["times_learned"] == 3


def test_web_recurring_lesson_learned_once_shows_no_section(client):
    assert 'id="learned-before"' not in client.get("/documents/ops-2021-clamps").text


def test_web_recurring_page_lists_most_learned_first(client):
    data = client.get("/recurring", params={"format": "json"}).json()
    assert [(item["times"], len(item["departments"])) for item in data["items"]] == [
        (3, 3), (2, 2), (2, 1),
    ]  # fmt: skip
    assert (data["items"][0]["first_date"], data["items"][0]["last_date"]) == (
        "2014-03-01", "2021-09-10",
    )  # fmt: skip
    html = client.get("/recurring").text
    assert html.index("Lesson eng-2014") < html.index("Lesson fin-2019") < html.index("hr-2017")


def test_web_recurring_pages_are_disjoint(client):
    pages = [client.get("/api/recurring", params={"per_page": 2, "page": n}).json() for n in (1, 2)]
    assert [len(page["items"]) for page in pages] == [2, 1]
    assert pages[0]["total"] == 3 and pages[0]["pages"] == 2
    assert 'rel="next"' in client.get("/recurring", params={"per_page": 2}).text


def test_web_recurring_bad_page_size_is_refused_by_name(client):
    response = client.get("/api/recurring", params={"per_page": 1000})
    assert response.status_code == 422 and "per_page" in response.text


def test_web_recurring_restricted_earlier_lesson_is_hidden_from_a_visitor(client, admin):
    for path in ("/documents/ops-2021", "/recurring"):
        assert "Lesson leg-2016" not in client.get(path).text
        assert "Lesson leg-2016" in admin.get(path).text
    json = {"format": "json"}
    visitor, everything = (
        b.get("/documents/ops-2021", params=json).json() for b in (client, admin)
    )
    assert (visitor["times_learned"], everything["times_learned"]) == (3, 4)
    assert client.get("/api/recurring").json()["items"][0]["times"] == 3
