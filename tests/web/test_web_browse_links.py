"""Every department, type, project and tag shown on a search hit, a related lesson or a
document page links to the list of documents that share it (`/?department=X`, ...)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from markupsafe import escape

from tests.web.rich_corpus import SCRIPT_TAG_3
from web.template_filters import status_label, type_label

HR_LESSON = "hr-onboarding-laptops-late"


def link_targets(html: str) -> dict[str, set[tuple[str, str]]]:
    """The filter links in an HTML fragment, by link text: {text: {(parameter, value)}}."""
    found: dict[str, set[tuple[str, str]]] = {}
    for href, text in re.findall(r'<a [^>]*href="(/\?[^"]*)"[^>]*>([^<]*)</a>', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        assert parts.path == "/", href
        found.setdefault(text, set()).update(parse_qsl(parts.query))
    return found


def section(html: str, start: str, end: str) -> str:
    """The part of `html` from the first `start` to the next `end`."""
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def expected_links(doc: dict) -> dict[str, set[tuple[str, str]]]:
    """What a document's links should be, keyed by their (escaped) text."""
    links = {
        doc["department"]: {("department", doc["department"])},
        type_label(doc["type"]): {("type", doc["type"])},
    }
    if doc.get("project"):
        links[doc["project"]] = {("project", doc["project"])}
    for tag in doc["tags"]:
        links[str(escape(tag))] = {("tag", tag)}
    if doc.get("status"):
        links[status_label(doc["status"])] = {("status", doc["status"])}
    return links


def test_browse_links_on_search_hits_are_encoded_and_escaped(rich_client):
    params = {"q": "vendor", "k": 10}
    data = rich_client.get("/", params={**params, "format": "json"}).json()
    html = rich_client.get("/", params=params).text
    articles = re.findall(r'<article class="hit">(.*?)</article>', html, re.S)
    assert len(articles) == len(data["hits"]) > 1
    for hit, article in zip(data["hits"], articles, strict=True):
        assert link_targets(article) == expected_links(hit), hit["id"]
    assert '<a href="/?tag=%3Cscript%3Ealert%283%29%3C%2Fscript%3E">' in html
    assert SCRIPT_TAG_3 not in html


def test_browse_links_on_document_header_and_metadata(rich_client):
    doc = rich_client.get(f"/api/documents/{HR_LESSON}").json()
    html = rich_client.get(f"/documents/{HR_LESSON}").text
    header = section(html, '<header class="document-header">', "</header>")
    assert link_targets(header) == {"HR": {("department", "HR")}, "Lesson": {("type", "lesson")}}
    table = section(html, '<table class="metadata">', "</table>")
    assert link_targets(table) == expected_links(doc)
    assert rich_client.get("/?department=HR").status_code == 200


def test_browse_links_on_related_lessons_and_other_departments(rich_client):
    data = rich_client.get(f"/documents/{HR_LESSON}", params={"format": "json"}).json()
    html = rich_client.get(f"/documents/{HR_LESSON}").text
    cards = re.findall(
        r'<li class="related-card">(.*?)</li>\s*(?=<li class="related-card">|</ol>)', html, re.S
    )
    assert len(cards) == len(data["related"]) > 0
    for lesson, card in zip(data["related"], cards, strict=True):
        assert link_targets(card)[lesson["department"]] == {("department", lesson["department"])}
    params = {"q": "vendor", "k": 2}
    data = rich_client.get("/", params={**params, "format": "json"}).json()
    others = link_targets(section(rich_client.get("/", params=params).text, '"others"', "</ol>"))
    assert data["other_departments"]
    for hit in data["other_departments"]:
        assert others[hit["department"]] == {("department", hit["department"])}
        assert others[type_label(hit["type"])] == {("type", hit["type"])}
