"""Atom feeds of a search and of a department: valid Atom (read back with feedparser), newest
first, and only what the feed's reader may read (a token in the URL or header for more)."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser
import pytest
from fastapi.testclient import TestClient

from tests.conftest import markdown_doc
from tests.kb.glossary.glossary_support import FAST_HASHER
from tests.web.conftest import build_index
from web.app import create_app


def doc(doc_id: str, department: str, date: str, sensitivity: str, marker: str) -> str:
    text = f"The valve gasket cracked in the cold. {marker} was the cause."
    return markdown_doc(
        f"Gasket report {marker}",
        department=department,
        date=date,
        sections={"What happened": text, "Lesson": "Warm the gaskets first."},
        extra_front=f"id: {doc_id}\nsensitivity: {sensitivity}\ntags: [valves]\n",
    )


CORPUS = {
    "old.md": doc("old", "Engineering", "2021-02-03", "public", "Oldmarker"),
    "new.md": doc("new", "Engineering", "2025-04-05", "public", "Newmarker"),
    "int.md": doc("int", "Finance", "2024-01-01", "internal", "Intmarker"),
    "res.md": doc("res", "Legal", "2023-01-01", "restricted", "Resmarker"),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    settings = build_index(tmp_path_factory.mktemp("feeds-index"), CORPUS, max_k=20)
    app = create_app(settings)
    app.state.glossary.auth.hasher = FAST_HASHER
    yield TestClient(app)
    app.state.glossary.state.dispose()


def token_of(client: TestClient, name: str, role: str, departments=()) -> str:
    glossary = client.app.state.glossary
    if glossary.auth.user(name) is None:
        glossary.auth.create_user(name, "a long passphrase", role, departments)
    return glossary.tokens.create(name)[0]


def read_feed(client: TestClient, url: str, **headers) -> feedparser.FeedParserDict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


def test_feeds_search_lists_matches_newest_first_with_links(client):
    feed = read_feed(client, "/feeds/search.atom?q=gasket")
    assert titles(feed) == ["Gasket report Newmarker", "Gasket report Oldmarker"]
    first = feed.entries[0]
    assert first.link == "http://testserver/documents/new"
    assert first.author == "Engineering"
    assert first.updated.startswith("2025-04-05")
    assert "valves" in [tag.term for tag in first.tags]
    assert feed.feed.title == "Lessonbase: “gasket”"


def test_feeds_search_keeps_its_filters(client):
    token = token_of(client, "fern", "reader", ("Finance",))
    feed = read_feed(client, f"/feeds/search.atom?q=gasket&department=Finance&token={token}")
    assert titles(feed) == ["Gasket report Intmarker"]
    assert "token" not in feed.feed.id and "token" not in feed.feed.links[0].href


@pytest.mark.parametrize(
    "who, expected",
    [
        (None, {"Newmarker", "Oldmarker"}),
        (("rita", "reader", ("Finance",)), {"Newmarker", "Oldmarker", "Intmarker"}),
        (("lena", "reader", ("Legal",)), {"Newmarker", "Oldmarker", "Intmarker", "Resmarker"}),
        (("ada", "admin", ()), {"Newmarker", "Oldmarker", "Intmarker", "Resmarker"}),
    ],
)
@pytest.mark.parametrize("by", ["query", "header"])
def test_feeds_show_each_reader_what_they_may_read(client, who, expected, by):
    url, headers = "/feeds/search.atom", {}
    if who is not None:
        token = token_of(client, *who)
        if by == "query":
            url += f"?token={token}"
        else:
            headers["Authorization"] = f"Bearer {token}"
    feed = read_feed(client, url, **headers)
    assert {title.split()[-1] for title in titles(feed)} == expected


def test_feeds_department_feed_lists_only_that_department(client):
    feed = read_feed(client, "/feeds/departments/Engineering.atom")
    assert titles(feed) == ["Gasket report Newmarker", "Gasket report Oldmarker"]
    assert read_feed(client, "/feeds/departments/Legal.atom").entries == []


def test_feeds_refuse_a_revoked_token(client):
    glossary = client.app.state.glossary
    token = token_of(client, "rex", "reader", ("Legal",))
    assert len(read_feed(client, f"/feeds/search.atom?token={token}").entries) == 4
    token_id = next(t.id for t in glossary.tokens.list() if t.user == "rex")
    glossary.tokens.revoke(token_id)
    assert client.get(f"/feeds/search.atom?token={token}").status_code == 401


def test_feeds_nothing_matching_gives_an_empty_feed_not_the_nearest(client):
    assert read_feed(client, "/feeds/search.atom?q=zzzqqq").entries == []


def test_feeds_are_linked_from_search_and_document_pages(client):
    search = client.get("/?q=gasket&page=1").text
    assert 'href="/feeds/search.atom?q=gasket"' in search
    assert 'type="application/atom+xml"' in search
    document = client.get("/documents/new").text
    assert 'href="/feeds/departments/Engineering.atom"' in document


def test_feeds_department_name_is_bounded(client):
    response = client.get("/feeds/departments/" + "x" * 500 + ".atom")
    assert response.status_code == 422
    assert "department" in response.text
