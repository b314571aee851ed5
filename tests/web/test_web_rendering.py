"""Every page with a JSON twin answers it the same way: `?format=json`, or an Accept header
that takes JSON but not HTML; browsers get the HTML page; /docs lists both forms."""

from __future__ import annotations

import pytest

DOC = "/documents/engineering-vendor-lead-times"
PAGES = [
    "/",
    "/?q=vendor&department=Finance",
    DOC,
    "/glossary?q=vendor",
    "/kickoff",
    "/kickoff/packs",
]
JSON_ONLY = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"}


def twin_url(url: str) -> str:
    return url + ("&" if "?" in url else "?") + "format=json"


@pytest.mark.parametrize("url", PAGES)
def test_rendering_accept_json_gets_the_same_data_as_format_json(web_client, url):
    twin = web_client.get(twin_url(url))
    negotiated = web_client.get(url, headers=JSON_ONLY)
    assert twin.headers["content-type"] == negotiated.headers["content-type"] == "application/json"
    assert negotiated.json() == twin.json()


@pytest.mark.parametrize("url", PAGES)
def test_rendering_browsers_get_the_html_page(web_client, url):
    response = web_client.get(url, headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!doctype html>")


def test_rendering_json_twin_of_the_kickoff_form_sets_no_cookie(web_client):
    """The form's CSRF cookie belongs to the HTML form, which is what posts it back."""
    assert "set-cookie" not in web_client.get("/kickoff?format=json").headers
    assert "lessonbase_kickoff=" in web_client.get("/kickoff").headers["set-cookie"]


def test_rendering_bad_format_is_a_422_before_the_page_is_looked_up(web_client):
    response = web_client.get("/documents/no-such-document", params={"format": "xml"})
    assert response.status_code == 422
    assert "format: Input should be" in response.text


def test_rendering_openapi_documents_both_forms_of_every_page(web_client):
    paths = web_client.get("/openapi.json").json()["paths"]
    pages = ["/", "/documents/{doc_id}", "/glossary", "/glossary/terms/{key}", "/kickoff"]
    pages += ["/kickoff/packs", "/kickoff/packs/{pack_id}", "/kickoff/packs/{pack_id}/print"]
    pages += ["/glossary/review", "/glossary/contested"]
    for path in pages:
        operation = paths[path]["get"]
        content = operation["responses"]["200"]["content"]
        assert {"text/html", "application/json"} <= set(content), path
        formats = [p for p in operation["parameters"] if p["name"] == "format"]
        assert len(formats) == 1 and formats[0]["schema"]["enum"] == ["html", "json"], path
