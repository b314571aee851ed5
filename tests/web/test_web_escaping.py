"""Document text with markup stays text everywhere the new features show it."""

from __future__ import annotations

import re

from tests.web.rich_corpus import SCRIPT_TAG_3

ESCAPED_3 = "&lt;script&gt;alert(3)&lt;/script&gt;"


def assert_no_raw_script(html: str) -> None:
    assert "<script" not in html.lower()  # the pages use no JavaScript at all


def test_escaping_script_in_snippet_and_hit_tags(rich_client):
    html = rich_client.get("/", params={"q": "strip pasted form text"}).text
    assert "New hires started without laptops" in html
    assert_no_raw_script(html)
    assert ESCAPED_3 in html


def test_escaping_script_in_tag_facet_label_and_link(rich_client):
    data = rich_client.get("/", params={"q": "vendor", "k": 50, "format": "json"}).json()
    [facet] = [v for v in data["facets"]["tags"] if v["value"] == SCRIPT_TAG_3]
    assert "<" not in facet["href"] and "%3Cscript%3E" in facet["href"]
    html = rich_client.get("/", params={"q": "vendor", "k": 50}).text
    assert_no_raw_script(html)
    assert f'<span class="facet-label">{ESCAPED_3}</span>' in html
    narrowed = rich_client.get(facet["href"]).text
    assert_no_raw_script(narrowed)
    assert f"Tag: {ESCAPED_3}" in narrowed


def test_escaping_script_in_related_passages(rich_client, rich_kb):
    passage = re.compile(r'<p class="passage-text">[^<]*' + re.escape(ESCAPED_3))
    for doc in ("hr-onboarding-laptops-late", "operations-warehouse-vendor-delays"):
        lessons = rich_kb.related(doc, k=5)
        texts = [p.text for lesson in lessons for p in (lesson.this_passage, lesson.their_passage)]
        assert any(SCRIPT_TAG_3 in text for text in texts), doc
        html = rich_client.get(f"/documents/{doc}").text
        assert_no_raw_script(html)
        assert passage.search(html), doc


def test_escaping_json_twins_carry_the_text_as_written(rich_client):
    data = rich_client.get("/", params={"q": "vendor", "k": 50, "format": "json"}).json()
    assert SCRIPT_TAG_3 in {value["value"] for value in data["facets"]["tags"]}
    doc = rich_client.get("/documents/operations-warehouse-vendor-delays?format=json").json()
    texts = [item["their_passage"]["text"] for item in doc["related"]]
    assert any(SCRIPT_TAG_3 in text for text in texts)
