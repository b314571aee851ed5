"""Signing in and out, who may do what, CSRF on every POST, and session expiry."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from kb.settings import Settings
from tests.kb.glossary.glossary_support import PASSWORD, build_index, copy_index
from tests.web.glossary_support import csrf, login, make_app, on_state_database

STATE_CHANGING = [
    ("/glossary/review/accept", {"key": "vendor", "version": "0", "label": "Vendor"}),
    ("/glossary/review/reject", {"key": "vendor", "version": "0", "reason": "no"}),
    ("/glossary/review/defer", {"key": "vendor", "version": "0"}),
    ("/glossary/review/merge", {"key": "vendor", "version": "0", "into": "lead time"}),
    ("/glossary/review/bulk", {"key": "vendor", "version:vendor": "0", "bulk_action": "accept"}),
    ("/glossary/terms/lead%20time/edit", {"version": "1", "label": "Hacked", "status": "draft"}),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("glossary-web-auth"))


@pytest.fixture
def app(template, tmp_path, state_url):
    """The app with its accounts on SQLite and, again, on PostgreSQL."""
    app = make_app(on_state_database(copy_index(template, tmp_path), state_url))
    glossary = app.state.glossary
    glossary.editor.accept(glossary.auth.user("ed"), "lead time")
    yield app
    glossary.state.dispose()


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


def test_web_glossary_auth_login_sets_an_httponly_lax_cookie_and_goes_next(client):
    response = login(client, "ed", next_url="/glossary/review?status=all")
    assert response.status_code == 303
    assert response.headers["location"] == "/glossary/review?status=all"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("lessonbase_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = client.get("/glossary").text
    assert "Signed in as <strong>ed</strong>" in page and "Sign out" in page


def test_web_glossary_auth_secure_cookie_when_configured(template, tmp_path):
    settings = copy_index(template, tmp_path)
    app = make_app(
        Settings(
            kb_dir=settings.kb_dir,
            embedder="fake",
            progress=False,
            glossary_mining=False,
            secure_cookies=True,
        )
    )
    response = login(TestClient(app, base_url="https://testserver"), "ed")
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("lessonbase_session=")
    )
    assert "Secure" in cookie


def test_web_glossary_auth_login_failure_does_not_say_which_part_was_wrong(client):
    wrong_password = login(client, "ed", "not the password")
    unknown_user = login(client, "nobody", PASSWORD)
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert "Sign-in failed: the user name or the password is not right." in response.text
        assert "lessonbase_session=" not in response.headers.get("set-cookie", "")
    assert "Sign in" in client.get("/glossary").text


def test_web_glossary_auth_login_needs_its_form_token(client):
    client.get("/login")
    data = {"name": "ed", "password": PASSWORD, "csrf_token": "forged"}
    assert client.post("/login", data=data).status_code == 403
    assert TestClient(client.app).post("/login", data={**data, "csrf_token": ""}).status_code == 403


def test_web_glossary_auth_login_next_stays_on_this_site(client):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        assert login(client, "ed", next_url=target).headers["location"] == "/glossary"


def test_web_glossary_auth_logout_needs_csrf_and_ends_the_session(client):
    login(client, "ed")
    assert client.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    assert "Signed in as" in client.get("/glossary").text
    response = client.post("/logout", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303
    assert "Signed in as" not in client.get("/glossary").text
    assert client.get("/glossary/review", follow_redirects=False).status_code == 303


def test_web_glossary_auth_anonymous_editor_pages_redirect_to_login(client):
    for url in (
        "/glossary/review?status=all",
        "/glossary/contested",
        "/glossary/import",
        "/glossary/terms/lead%20time/edit",
    ):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"].startswith("/login?next=%2Fglossary%2F")
    assert client.get("/api/glossary/review").status_code == 401
    assert client.get("/glossary/review", params={"format": "json"}).status_code == 401


def test_web_glossary_auth_login_then_back_to_the_page_asked_for(client):
    location = client.get("/glossary/review?status=all", follow_redirects=False).headers["location"]
    page = client.get(location).text
    assert 'name="next" value="/glossary/review?status=all"' in page


def test_web_glossary_auth_readers_get_403_on_editor_pages(client):
    login(client, "rita")
    for url in (
        "/glossary/review",
        "/glossary/contested",
        "/glossary/import",
        "/glossary/terms/lead%20time/edit",
        "/api/glossary/review",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/glossary").status_code == 200
    assert client.get("/glossary/terms/lead%20time").status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "rita"])
def test_web_glossary_auth_state_changes_by_non_editors_are_refused(client, app, who):
    token = ""
    if who != "anonymous":
        login(client, who)
        token = csrf(client)
    for url, data in STATE_CHANGING:
        response = client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, url
    files = {"file": ("g.csv", b"key,label\nx,X\n", "text/csv")}
    assert (
        client.post("/glossary/import", data={"csrf_token": token}, files=files).status_code == 403
    )
    glossary = app.state.glossary
    assert glossary.terms.get("vendor") is None
    assert glossary.terms.get("lead time").version == 1
    assert glossary.terms.get("x") is None


def test_web_glossary_auth_posts_without_a_valid_csrf_token_are_refused(client, app):
    login(client, "ed")
    for token in (None, "", "forged-token"):
        for url, data in STATE_CHANGING:
            body = data if token is None else {**data, "csrf_token": token}
            response = client.post(url, data=body, follow_redirects=False)
            assert response.status_code == 403, (url, token)
            assert "CSRF" in response.text
    assert app.state.glossary.terms.get("vendor") is None
    assert app.state.glossary.terms.get("lead time").label == "lead time"


def test_web_glossary_auth_csrf_token_of_another_session_is_refused(app):
    eve, ed = TestClient(app), TestClient(app)
    login(eve, "eve")
    login(ed, "ed")
    data = {"key": "vendor", "version": "0", "reason": "no", "csrf_token": csrf(eve)}
    assert ed.post("/glossary/review/reject", data=data).status_code == 403


def test_web_glossary_auth_expired_session_is_signed_out(client, app):
    login(client, "ed")
    assert client.get("/glossary/review").status_code == 200
    with app.state.glossary.state.engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z'"))
    response = client.get("/glossary/review", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert "Signed in as" not in client.get("/glossary").text
    data = {"key": "vendor", "version": "0", "reason": "late", "csrf_token": "anything"}
    assert client.post("/glossary/review/reject", data=data).status_code == 403


def test_web_glossary_auth_oversized_posts_are_refused_before_parsing(client, app):
    login(client, "ed")
    limit = app.state.settings.max_request_bytes  # no file on this form: the smaller limit
    body = {"csrf_token": csrf(client), "reason": "x" * (limit + 100_000)}
    response = client.post("/glossary/review/defer", data=body)
    assert response.status_code == 413
    assert f"larger than the {limit:,}-byte limit" in response.text
