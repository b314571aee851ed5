"""Editors at work through the web: the queue and its actions, editing, importing, hints."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.kb.glossary.glossary_support import build_index, copy_index
from tests.web.glossary_support import csrf, login, make_app, on_state_database

CSV_HEADER = "key,label,definition,acronym,synonyms,related,owner,status\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("glossary-web-review"))


@pytest.fixture
def app(template, tmp_path, state_url):
    """The app with its glossary on SQLite and, again, on PostgreSQL."""
    app = make_app(on_state_database(copy_index(template, tmp_path), state_url))
    yield app
    app.state.glossary.close()


@pytest.fixture
def editor(app) -> TestClient:
    client = TestClient(app)
    login(client, "ed")
    return client


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf(client), **data}, follow_redirects=False)


def history(app, key):
    return [(e.version, e.user, e.action) for e in reversed(app.state.glossary.terms.history(key))]


def term(app, key):
    return app.state.glossary.terms.get(key)


def test_web_glossary_review_queue_shows_candidates_with_evidence(editor):
    html = editor.get("/glossary/review", params={"cutoff": "0"}).text
    assert "6 candidates, best first" in html
    for text in (
        "lead time",
        "score 1.000",
        "Engineering · 3",
        "lead times",
        "Vendor lead times doubled",
        "stands for <strong>electronic data interchange</strong>",
        "below cut-off",
        'action="/glossary/review/accept"',
        'form="bulk" name="key" value="vendor"',
    ):
        assert text in html, text


def test_web_glossary_review_queue_filters_and_json_twin(editor):
    html = editor.get("/glossary/review", params={"department": "Finance", "cutoff": "0"}).text
    assert "2 candidates, best first" in html and "reconciliation checklist" in html
    data = editor.get(
        "/glossary/review", params={"department": "Operations", "format": "json", "cutoff": "0"}
    ).json()
    assert [i["term"] for i in data["items"]] == ["shift handover", "handover", "edi"]
    assert data["items"][0]["status"] == "pending" and data["items"][0]["version"] == 0
    api = editor.get("/api/glossary/review", params={"cutoff": "1", "per_page": 2}).json()
    assert api["total"] == 5 and api["pages"] == 3 and len(api["items"]) == 2


def test_web_glossary_review_accept_with_edited_fields(editor, app):
    response = post(
        editor,
        "/glossary/review/accept",
        key="edi",
        version="0",
        label="Electronic data interchange",
        acronym="EDI",
        status="approved",
        definition="Orders between systems.",
        synonyms="EDI feed\nB2B feed",
        back="/glossary/review?department=Operations",
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(
        "/glossary/review?department=Operations&notice=accept"
    )
    page = editor.get(response.headers["location"]).text
    assert "Accepted “edi” into the glossary." in page
    saved = term(app, "edi")
    assert (saved.label, saved.status, saved.synonyms) == (
        "Electronic data interchange",
        "approved",
        ("EDI feed", "B2B feed"),
    )
    assert history(app, "edi") == [(1, "ed", "accept")]


def test_web_glossary_review_reject_defer_and_merge(editor, app):
    post(
        editor, "/glossary/review/accept", key="shift handover", version="0", label="Shift handover"
    )
    assert (
        post(
            editor, "/glossary/review/reject", key="vendor", version="0", reason="too general"
        ).status_code
        == 303
    )
    assert post(editor, "/glossary/review/defer", key="lead time", version="0").status_code == 303
    merged = post(
        editor, "/glossary/review/merge", key="handover", version="0", into="shift handover"
    )
    assert "Merged “handover” into “shift handover”." in editor.get(merged.headers["location"]).text
    assert (term(app, "vendor").decision, term(app, "vendor").reason) == ("rejected", "too general")
    assert term(app, "lead time").decision == "deferred"
    assert term(app, "shift handover").synonyms == ("handover", "hand-over")  # from the merged one
    assert history(app, "shift handover") == [(1, "ed", "accept"), (2, "ed", "merge-in")]
    queue = editor.get("/glossary/review", params={"status": "merged", "format": "json"}).json()
    assert [i["term"] for i in queue["items"]] == ["handover"]


def test_web_glossary_review_bulk_accept_and_reject(editor, app):
    accepted = post(
        editor,
        "/glossary/review/bulk",
        bulk_action="accept",
        key=["vendor", "edi"],
        **{"version:vendor": "0", "version:edi": "0"},
    )
    assert "Accepted 2 candidate(s)." in editor.get(accepted.headers["location"]).text
    rejected = post(
        editor,
        "/glossary/review/bulk",
        bulk_action="reject",
        reason="noise",
        key=["handover", "vendor"],
        **{"version:handover": "0", "version:vendor": "0"},
    )
    page = editor.get(rejected.headers["location"]).text
    assert "Rejected 1 candidate(s). Skipped 1" in page
    assert term(app, "vendor").decision == "accepted" and term(app, "handover").reason == "noise"


def test_web_glossary_review_action_refused_when_someone_decided_first(editor, app):
    app.state.glossary.editor.reject(app.state.glossary.auth.user("eve"), "vendor", "eve says no")
    response = post(editor, "/glossary/review/accept", key="vendor", version="0", label="Vendor")
    assert response.status_code == 409
    assert "Not saved" in response.text and "was changed by eve" in response.text
    assert term(app, "vendor").decision == "rejected"


def test_web_glossary_review_invalid_input_is_explained(editor, app):
    empty_reason = post(editor, "/glossary/review/reject", key="vendor", version="0", reason=" ")
    assert empty_reason.status_code == 422 and "say why" in empty_reason.text
    bad_target = post(editor, "/glossary/review/merge", key="vendor", version="0", into="nothing")
    assert (
        bad_target.status_code == 422 and "is not another term in the glossary" in bad_target.text
    )
    nothing_ticked = post(editor, "/glossary/review/bulk", bulk_action="accept")
    assert nothing_ticked.status_code == 422 and "tick at least one" in nothing_ticked.text
    assert term(app, "vendor") is None


def test_web_glossary_review_back_link_cannot_leave_the_queue(editor):
    response = post(
        editor, "/glossary/review/defer", key="vendor", version="0", back="https://evil.example/"
    )
    assert response.headers["location"].startswith("/glossary/review?notice=defer")


def test_web_glossary_edit_saves_with_the_version_it_started_from(editor, app):
    app.state.glossary.editor.accept(app.state.glossary.auth.user("ed"), "vendor")
    post(editor, "/glossary/review/accept", key="lead time", version="0", label="Lead time")
    form = editor.get("/glossary/terms/lead%20time/edit").text
    assert 'name="version" value="1"' in form
    response = post(
        editor,
        "/glossary/terms/lead%20time/edit",
        version="1",
        label="Lead time",
        definition="Order to delivery.",
        acronym="LT",
        synonyms="lead times | delivery time",
        related="Vendor",
        owner="Procurement",
        status="approved",
    )
    assert (
        response.status_code == 303
        and response.headers["location"] == "/glossary/terms/lead%20time?saved=1"
    )
    saved = term(app, "lead time")
    assert (saved.version, saved.related, saved.synonyms) == (
        2,
        ("vendor",),
        ("lead times", "delivery time"),
    )
    assert history(app, "lead time")[-1] == (2, "ed", "edit")
    assert "Saved." in editor.get(response.headers["location"]).text


def test_web_glossary_edit_conflict_shows_message_and_current_values(app):
    glossary = app.state.glossary
    glossary.editor.accept(glossary.auth.user("ed"), "lead time")
    ed, eve = TestClient(app), TestClient(app)
    login(ed, "ed")
    login(eve, "eve")
    assert 'name="version" value="1"' in ed.get("/glossary/terms/lead%20time/edit").text
    assert 'name="version" value="1"' in eve.get("/glossary/terms/lead%20time/edit").text
    first = post(
        eve,
        "/glossary/terms/lead%20time/edit",
        version="1",
        label="Lead time",
        definition="Eve's definition.",
        status="draft",
    )
    assert first.status_code == 303
    second = post(
        ed,
        "/glossary/terms/lead%20time/edit",
        version="1",
        label="Lead time",
        definition="Ed's definition.",
        status="approved",
    )
    assert second.status_code == 409
    html = second.text
    assert "someone else changed this term while you were editing" in html
    assert "eve saved version 2" in html
    assert 'name="version" value="2"' in html  # the form now carries the current version
    assert "Eve&#39;s definition.</textarea>" in html  # ... and the current values
    assert "Ed&#39;s definition." in html  # the unsaved changes are shown, not lost
    assert term(app, "lead time").definition == "Eve's definition."


def test_web_glossary_edit_invalid_fields_are_shown_next_to_the_form(editor, app):
    post(editor, "/glossary/review/accept", key="lead time", version="0", label="Lead time")
    response = post(
        editor,
        "/glossary/terms/lead%20time/edit",
        version="1",
        label="",
        related="no such term",
        status="draft",
    )
    assert response.status_code == 422
    assert 'id="err-label">is required' in response.text
    assert "not in the glossary: &#39;no such term&#39;" in response.text
    assert term(app, "lead time").version == 1


def test_web_glossary_edit_of_a_non_term_is_404(editor):
    assert editor.get("/glossary/terms/vendor/edit").status_code == 404


def upload(client, name: str, content: bytes, content_type: str = "text/csv"):
    files = {"file": (name, content, content_type)}
    return client.post("/glossary/import", data={"csrf_token": csrf(client)}, files=files)


def test_web_glossary_import_csv(editor, app):
    assert "Upload a <strong>.csv</strong>" in editor.get("/glossary/import").text
    response = upload(
        editor, "g.csv", (CSV_HEADER + "kpi,KPI,Key performance indicator,,,,,approved\n").encode()
    )
    assert (
        response.status_code == 200 and "Imported: 1 new, 0 changed, 0 unchanged." in response.text
    )
    assert term(app, "kpi").definition == "Key performance indicator"
    assert history(app, "kpi") == [(1, "ed", "import")]


def test_web_glossary_import_errors_list_line_and_field_and_write_nothing(editor, app):
    body = CSV_HEADER + "ok,OK,,,,,,draft\nbad,,,,,,,final\n"
    response = upload(editor, "g.csv", body.encode())
    assert response.status_code == 422
    html = response.text
    assert "g.csv: 2 problems; nothing was imported." in html
    assert "<tr><td>3</td><td>label</td><td>is required</td></tr>" in html
    assert "<tr><td>3</td><td>status</td>" in html
    assert term(app, "ok") is None


def test_web_glossary_import_refuses_wrong_type_and_oversized_files(editor, app):
    wrong = upload(editor, "glossary.xlsx", b"PK\x03\x04", "application/octet-stream")
    assert wrong.status_code == 415 and "reads .csv or .json files only" in wrong.text
    limit = app.state.settings.max_upload_bytes
    big = CSV_HEADER.encode() + b"x" * (limit + 1)
    too_big = upload(editor, "big.csv", big)
    assert too_big.status_code == 413
    assert "upload limit" in too_big.text
    assert upload(editor, "", b"").status_code in (400, 422)
    assert app.state.glossary.terms.accepted() == []


def test_web_glossary_import_json(editor, app):
    content = json.dumps([{"key": "kpi", "label": "KPI"}]).encode()
    assert upload(editor, "g.json", content, "application/json").status_code == 200
    assert term(app, "kpi").status == "draft"


def test_web_glossary_unmerge_from_the_term_page_in_one_action(editor, app):
    post(
        editor, "/glossary/review/accept", key="shift handover", version="0", label="Shift handover"
    )
    before = term(app, "shift handover").synonyms
    post(editor, "/glossary/review/merge", key="handover", version="0", into="shift handover")
    assert term(app, "shift handover").synonyms != before
    page = editor.get("/glossary/terms/shift%20handover").text
    assert 'action="/glossary/unmerge"' in page and "Unmerge" in page
    assert "Unmerge" not in TestClient(app).get("/glossary/terms/shift%20handover").text
    no_token = editor.post("/glossary/unmerge", data={"key": "handover", "version": "1"})
    assert no_token.status_code == 403 and term(app, "handover").decision == "merged"
    response = post(editor, "/glossary/unmerge", key="handover", version="1")
    assert response.status_code == 303
    assert "no longer merged" in editor.get(response.headers["location"]).text
    assert term(app, "handover") is None  # pending again: back in the queue
    assert term(app, "shift handover").synonyms == before
    assert history(app, "handover") == [(1, "ed", "merge"), (2, "ed", "unmerge")]
    assert [a for *_, a in history(app, "shift handover")] == ["accept", "merge-in", "unmerge"]
    assert post(editor, "/glossary/unmerge", key="handover", version="2").status_code == 422


def test_web_glossary_review_proposes_what_an_acronym_stands_for_as_merge_target(editor, app):
    glossary = app.state.glossary
    csv = CSV_HEADER + "electronic data interchange,Electronic data interchange,,,,,,draft\n"
    glossary.import_file(glossary.auth.user("ed"), csv.encode(), "g.csv")
    html = editor.get("/glossary/review", params={"q": "edi"}).text
    card = html[html.index('id="c1"') :]
    assert 'name="into" list="glossary-terms" placeholder="term key"' in card
    assert 'value="electronic data interchange" required' in card
    assert "proposed: the term it stands for" in card
    vendor = editor.get("/glossary/review", params={"q": "vendor"}).text
    assert 'placeholder="term key" value="" required' in vendor  # no expansion, no proposal


def test_web_glossary_review_unmerge_from_the_queue_comes_back_to_it(editor, app):
    post(editor, "/glossary/review/accept", key="vendor", version="0", label="Vendor")
    post(editor, "/glossary/review/merge", key="handover", version="0", into="vendor")
    merged = editor.get("/glossary/review", params={"status": "merged"}).text
    assert 'action="/glossary/unmerge"' in merged
    back = "/glossary/review?status=merged"
    response = post(editor, "/glossary/unmerge", key="handover", version="1", back=back)
    assert response.headers["location"].startswith("/glossary/review?status=merged")
    assert (
        "“handover” is no longer merged into “vendor”."
        in editor.get(response.headers["location"]).text
    )


def test_web_glossary_contested_page_and_api(editor):
    html = editor.get("/glossary/contested").text
    assert "No candidate looks contested" in html  # one document per department: no evidence
    data = editor.get("/api/glossary/contested").json()
    assert (data["total"], data["page"], data["pages"], data["items"]) == (0, 1, 1, [])
    assert editor.get("/glossary/contested", params={"format": "json"}).json() == data


def test_web_glossary_contested_ranked_and_paged(tmp_path):
    from tests.kb.glossary.contested_support import build_senses_index, documents

    client = TestClient(
        make_app(build_senses_index(tmp_path, documents({"Engineering": 5, "HR": 4})))
    )
    login(client, "ed")
    whole = client.get("/api/glossary/contested").json()
    assert (whole["total"], whole["pages"]) == (2, 1)
    assert sorted(item["term"] for item in whole["items"]) == ["handover", "release"]
    scores = [item["score"] for item in whole["items"]]
    assert scores == sorted(scores, reverse=True)
    pages = [
        client.get(
            "/glossary/contested", params={"per_page": 1, "page": n, "format": "json"}
        ).json()
        for n in (1, 2)
    ]
    assert [p["items"][0]["term"] for p in pages] == [i["term"] for i in whole["items"]]
    assert [(p["total"], p["page"], p["pages"]) for p in pages] == [(2, 1, 2), (2, 2, 2)]
    html = client.get("/glossary/contested", params={"per_page": 1}).text
    assert "2 contested terms · page 1 of 2" in html
    assert 'href="/glossary/contested?per_page=1&amp;page=2" rel="next"' in html
    first = whole["items"][0]
    for usage in first["departments"]:
        assert f'<span class="word">{usage["words"][0]}</span>' in html
    assert first["display"] in html and whole["items"][1]["display"] not in html
    assert client.get("/api/glossary/contested", params={"page": 0}).status_code == 422


def test_web_glossary_editors_see_pending_count_and_edit_link(editor, app):
    app.state.glossary.editor.accept(app.state.glossary.auth.user("ed"), "vendor")
    assert "5 candidates waiting for review" in editor.get("/glossary").text
    assert 'href="/glossary/terms/vendor/edit"' in editor.get("/glossary/terms/vendor").text
    anonymous = TestClient(app)
    assert "waiting for review" not in anonymous.get("/glossary").text
    assert "/edit" not in anonymous.get("/glossary/terms/vendor").text


def test_web_glossary_review_escapes_candidate_text(app, editor):
    from tests.kb.glossary.glossary_support import ENGINEERING, candidate, set_candidates

    script = "<script>alert('c')</script>"
    rows = [
        candidate(
            f"x{script}",
            1,
            [(ENGINEERING, f"Pasted {script} here.")],
            {"Engineering": 1},
            variants={script: 1},
            expansion=script,
        )
    ]
    set_candidates(app.state.settings, rows)
    html = editor.get("/glossary/review").text
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
