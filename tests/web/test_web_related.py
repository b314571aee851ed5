"""Related lessons: the document page's section, its JSON twin and /api/documents/{id}/related."""

from __future__ import annotations

import pytest

from tests.web.conftest import CORPUS
from tests.web.rich_corpus import EXTRA_CORPUS


def doc_id(path: str) -> str:
    return path.removesuffix(".md").replace("/", "-")


DOC_IDS = [doc_id(path) for path in {**CORPUS, **EXTRA_CORPUS}]


def department_of(kb, doc: str) -> str:
    return kb.document(doc).document.department


@pytest.mark.parametrize("doc", DOC_IDS)
def test_related_api_excludes_own_department_and_the_document_itself(rich_client, rich_kb, doc):
    response = rich_client.get(f"/api/documents/{doc}/related")
    assert response.status_code == 200
    related = response.json()
    assert related, doc
    assert len(related) <= 5
    assert doc not in {item["id"] for item in related}
    assert department_of(rich_kb, doc) not in {item["department"] for item in related}
    assert related == [lesson.to_dict() for lesson in rich_kb.related(doc, k=5)]


def test_related_api_may_include_own_department_when_asked(rich_client, rich_kb):
    included_own = False
    for doc in DOC_IDS:
        params = {"include_same_department": "true", "k": 5}
        related = rich_client.get(f"/api/documents/{doc}/related", params=params).json()
        assert doc not in {item["id"] for item in related}
        included_own |= department_of(rich_kb, doc) in {item["department"] for item in related}
    assert included_own


def test_related_api_respects_k_and_rejects_bad_k(rich_client, rich_settings):
    url = "/api/documents/engineering-vendor-lead-times/related"
    assert len(rich_client.get(url, params={"k": 2}).json()) == 2
    for k in (0, rich_settings.max_k + 1, "many"):
        response = rich_client.get(url, params={"k": k})
        assert response.status_code == 422, k
        assert response.json()["detail"][0]["loc"] == ["query", "k"]


def test_related_api_404s_for_unknown_ids(rich_client):
    response = rich_client.get("/api/documents/no-such-document/related")
    assert response.status_code == 404
    assert response.json() == {"detail": "No document with id 'no-such-document'."}


def test_related_document_page_lists_other_departments_with_reasons(rich_client, rich_kb, rich_app):
    doc = "engineering-vendor-lead-times"
    rich_kb.use_glossary(lambda: {"lead time": ["lead times"]})  # approved: a reason shown
    try:
        html = rich_client.get(f"/documents/{doc}").text
        lessons = rich_kb.related(doc, k=5)
    finally:
        rich_kb.use_glossary(rich_app.state.glossary.expansions)
    assert "Related lessons from other departments" in html
    assert f'href="/documents/{doc}?same_department=1#related">Include Engineering</a>' in html
    for lesson in lessons:
        assert f'<a href="/documents/{lesson.id}?from=related">' in html
        assert f"This document — {lesson.this_passage.section}" in html
    first = lessons[0]
    assert f"{first.title} — {first.their_passage.section}" in html
    assert first.shared_terms[0].lower().startswith("lead time")
    assert "Shared terms: " + ", ".join(first.shared_terms) in html


def test_related_document_page_toggle_includes_own_department(rich_client, rich_kb):
    doc = "engineering-vendor-lead-times"
    params = {"same_department": 1}
    html = rich_client.get(f"/documents/{doc}", params=params).text
    assert "Related lessons, including Engineering" in html
    assert f'href="/documents/{doc}#related">Only other departments</a>' in html
    data = rich_client.get(f"/documents/{doc}", params={**params, "format": "json"}).json()
    expected = rich_kb.related(doc, k=5, include_same_department=True)
    assert data["related"] == [lesson.to_dict() for lesson in expected]
    assert data["related_include_same_department"] is True


def test_related_json_twin_is_built_from_the_same_lessons_as_the_page(rich_client):
    doc = "operations-shift-handover-weekly"
    data = rich_client.get(f"/documents/{doc}", params={"format": "json"}).json()
    html = rich_client.get(f"/documents/{doc}").text
    assert data["related"] and data["related_include_same_department"] is False
    positions = [
        html.index(f'<a href="/documents/{item["id"]}?from=related">') for item in data["related"]
    ]
    assert positions == sorted(positions)
