"""The document page, its JSON twin and /api/documents/{id}."""

from __future__ import annotations

from kb.access import Viewer
from web.routers.recurring_pages import learned_before

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_documents_page_renders_title_metadata_and_sections(web_client):
    response = web_client.get("/documents/engineering-vendor-lead-times")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Vendor lead times doubled during the data centre migration</h1>" in html
    for label, value in [
        ("Type", "Lesson"),
        ("Department", "Engineering"),
        ("Date", "2023-06-14"),
        ("Project", "Atlas migration"),
        ("Phase", "execution"),
        ("Authors", "Priya Shah"),
        ("Budget code", "ENG-42"),
    ]:
        assert f'<th scope="row">{label}</th>' in html
        assert value in html
    for heading in ("Context", "What happened", "Lesson", "Recommendation"):
        assert f"<h2>{heading}</h2>" in html
    assert "<strong>written</strong>" in html  # section bodies are rendered Markdown


def test_documents_page_links_http_urls_only(web_client):
    engineering = web_client.get("/documents/engineering-vendor-lead-times").text
    assert '<a href="https://wiki.example.org/atlas/lead-times"' in engineering
    finance = web_client.get("/documents/finance-quarter-close-retro").text
    assert "javascript:alert(2)" in finance
    assert 'href="javascript:' not in finance


def test_documents_page_shows_action_items_table(web_client):
    html = web_client.get("/documents/finance-quarter-close-retro").text
    assert "<h2>Actions</h2>" in html
    assert '<table class="actions">' in html
    assert "Publish a vendor invoice cut-off calendar" in html
    assert "Ana Ruiz" in html and "2024-03-15" in html
    assert ">Open</span>" in html and ">Done</span>" in html
    assert '<th scope="row">Participants</th>' in html


def test_documents_page_escapes_script_tags(web_client):
    html = web_client.get("/documents/finance-quarter-close-retro").text
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html
    assert "<i>urgent</i>" not in html
    assert "&lt;i&gt;urgent&lt;/i&gt;" in html


def test_documents_search_hit_escapes_script_tags(web_client):
    html = web_client.get("/", params={"q": "script alert pasted close notes"}).text
    assert "Quarter-end close slipped two days" in html
    assert SCRIPT not in html
    assert "<i>urgent</i>" not in html


def test_documents_json_twin_and_api_return_document_view(web_client, web_kb):
    expected = web_kb.document("finance-quarter-close-retro").to_dict()
    twin = web_client.get("/documents/finance-quarter-close-retro", params={"format": "json"})
    api = web_client.get("/api/documents/finance-quarter-close-retro")
    assert twin.status_code == api.status_code == 200
    # Action items carry their current status (state database) beside the file's fields.
    keys = ("text", "owner", "due", "done")
    index_actions = expected.pop("actions")
    for body in (api.json(), twin.json()):
        assert [{k: a[k] for k in keys} for a in body.pop("actions")] == index_actions
    assert api.json() | {"actions": index_actions} == {**expected, "actions": index_actions}
    related = [r.to_dict() for r in web_kb.related("finance-quarter-close-retro", k=5)]
    recurrence = learned_before(web_kb, "finance-quarter-close-retro", Viewer.anonymous())
    twin_body = twin.json()
    twin_body.pop("actions")
    assert twin_body == {
        **expected,
        "related": related,
        "related_include_same_department": False,
        **recurrence.to_dict(),
    }
    assert SCRIPT in api.json()["sections"][1]["text"]  # JSON carries the text as written


def test_documents_unknown_id_gives_404_page_and_json(web_client):
    page = web_client.get("/documents/no-such-document")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "No document with id" in page.text
    api = web_client.get("/api/documents/no-such-document")
    assert api.status_code == 404
    assert api.json() == {"detail": "No document with id 'no-such-document'."}
