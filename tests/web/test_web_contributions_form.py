""" "Write a lesson" in the browser without JavaScript: the form follows the schema, refuses
what the validator refuses naming the field, previews with the document pages' renderer,
offers similar lessons to link, needs its CSRF token; a second user publishes it from the
review page, and then its action is on /actions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_state_url
from tests.kb.documents.docx_support import word_document
from tests.web.contribution_support import contribution_app
from tests.web.glossary_support import csrf, login

FORM = {
    "type": "lesson",
    "title": "Seals shrink in cold storage",
    "department": "Engineering",
    "date": "2026-11-30",
    "sensitivity": "public",
    "tags": "seals, cold",
    "section_what_happened": "The valve seals shrank in the cold store and cracked like gaskets.",
    "section_lesson": "Qualify seals at the **coldest** storage temperature.",
    "section_actions": "- [ ] Add a cold soak to the seal test (owner: Cora, due: 2027-01-15)",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request, tmp_path):
    built = contribution_app(tmp_path, new_state_url(request, tmp_path))
    yield built
    built.state.glossary.state.dispose()


def signed_in(app, name: str) -> TestClient:
    client = TestClient(app)
    assert login(client, name).status_code == 303
    return client


def post_form(client: TestClient, **changes) -> object:
    data = {**FORM, "csrf_token": csrf(client), **changes}
    return client.post("/contribute", data=data, follow_redirects=False)


def test_contributions_form_follows_the_schema_with_no_sensitivity_chosen(app):
    page = signed_in(app, "cora").get("/contribute?type=retrospective").text
    for heading in ("Goals and expected results", "What went well", "Actions"):
        assert heading in page
    assert 'name="participants"' in page
    assert 'type="radio" name="sensitivity"' in page and "checked" not in page
    assert '<option value="Atlas">' not in page  # Finance's restricted document is not read
    assert '<option value="ledgers">' not in page


def test_contributions_form_suggests_tags_and_projects_readable_by_the_author(app):
    page = signed_in(app, "fin").get("/contribute").text
    assert '<option value="Atlas">' in page and '<option value="ledgers">' in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": ""}, "title"), ({"date": "soon"}, "date"), ({"sensitivity": ""}, "sensitivity")],
)
def test_contributions_form_errors_name_the_field_and_keep_the_text(app, changes, field):
    response = post_form(signed_in(app, "cora"), action="save", **changes)
    assert response.status_code == 422
    assert f'<a href="#f-{field}">{field}</a>' in response.text
    assert "cracked like gaskets" in response.text  # nothing typed is lost


def test_contributions_form_previews_and_offers_similar_lessons(app):
    response = post_form(signed_in(app, "cora"), action="preview")
    assert response.status_code == 200
    assert "<strong>coldest</strong>" in response.text  # rendered as on document pages
    assert 'name="related" value="valves"' in response.text
    assert "2019-02-01" in response.text  # the similar lesson's date


def test_contributions_form_without_csrf_token_is_refused(app):
    client = signed_in(app, "cora")
    response = client.post("/contribute", data={**FORM, "action": "save"})
    assert response.status_code == 403


def test_contributions_form_reader_is_refused_and_anonymous_sent_to_sign_in(app):
    assert signed_in(app, "rex").get("/contribute").status_code == 403
    anonymous = TestClient(app).get("/contribute", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_contributions_form_submit_then_second_user_publishes_and_action_is_followed(app):
    author = signed_in(app, "cora")
    submitted = post_form(author, action="submit", related="valves")
    assert submitted.status_code == 303
    cid = submitted.headers["location"].rsplit("/", 1)[-1]
    reviewer = signed_in(app, "carl")
    assert f"/contributions/{cid}" in reviewer.get("/contributions/review").text
    published = reviewer.post(
        f"/contributions/{cid}/publish",
        data={"csrf_token": csrf(reviewer), "comment": "Thanks"},
        follow_redirects=False,
    )
    assert published.status_code == 303
    mine = author.get("/contributions").text
    assert re.search(r"submitted → published: <q>Thanks</q>", mine)
    listed = author.get("/contributions?format=json").json()["contributions"]
    written = Path(listed[0]["published_path"]).read_text(encoding="utf-8")
    assert "related:\n- valves\n" in written  # the linked lesson, as the file's field
    actions = author.get("/api/actions?department=Engineering").json()
    assert "Add a cold soak to the seal test" in [a["text"] for a in actions]


def test_contributions_form_is_prefilled_from_a_docx(app):
    data = word_document(
        ("Title", "Pump seals leaked after cold storage"),
        ("Normal", "Department: Engineering"),
        ("Heading 1", "What happened"),
        ("Normal", "The seals shrank in the cold store."),
        ("Heading 1", "Lesson learned"),
        ("Normal", "Qualify seals at the coldest storage temperature."),
    )
    with TestClient(app) as client:
        assert login(client, "cora").status_code == 303
        files = {"docx": ("lesson.docx", data, "application/octet-stream")}
        response = client.post(
            "/contribute/upload", data={"csrf_token": csrf(client), "type": "lesson"}, files=files
        )
        assert response.status_code == 200, response.text
        assert 'value="Pump seals leaked after cold storage"' in response.text
        assert 'value="Engineering"' in response.text
        assert ">The seals shrank in the cold store.</textarea>" in response.text
        assert ">Qualify seals at the coldest storage temperature.</textarea>" in response.text
        broken = {"docx": ("lesson.docx", b"not a zip", "application/octet-stream")}
        refused = client.post("/contribute/upload", data={"csrf_token": csrf(client)}, files=broken)
        assert refused.status_code == 422 and "not a DOCX file" in refused.text


def test_contributions_form_title_prefilled_from_a_search_gap_link(app):
    html = signed_in(app, "cora").get("/contribute", params={"title": "vendor <escrow>"}).text
    assert 'value="vendor &lt;escrow&gt;"' in html
