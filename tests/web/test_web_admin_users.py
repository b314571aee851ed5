"""Admins manage accounts at /admin/users: only admins get in, every form needs its CSRF
token, and an account added, changed, disabled or deleted there signs in (or not)
accordingly. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.admin_support import (
    build_levels_index,
    page_csrf,
    serve,
    signed_in,
    token_headers,
)
from tests.web.glossary_support import form_token, login

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_levels_index(tmp_path_factory.mktemp("admin-users"))


@pytest.fixture
def client(index, state_url) -> Iterator[TestClient]:
    with serve(index, state_url) as client:
        yield client


@pytest.fixture
def admin(client) -> TestClient:
    return signed_in(client, "ada")


def post(admin: TestClient, path: str, **data) -> object:
    data.setdefault("csrf_token", page_csrf(admin, "/admin/users"))
    return admin.post(path, data=data, follow_redirects=False)


def can_sign_in(client: TestClient, name: str, password: str) -> bool:
    return login(TestClient(client.app), name, password).status_code == 303


def test_web_admin_users_anonymous_is_sent_to_sign_in_and_a_reader_refused(client):
    response = client.get("/admin/users", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fadmin%2Fusers"
    assert client.get("/admin/users?format=json").status_code == 401
    reader = signed_in(client, "rita")
    refused = reader.get("/admin/users")
    assert refused.status_code == 403 and "rita is a reader" in refused.text
    assert reader.get("/admin/reads").status_code == 403
    assert 'href="/admin/users"' not in reader.get("/formats").text


def test_web_admin_users_admin_lists_accounts_and_sees_the_nav_link(admin):
    users = {u["name"]: u for u in admin.get("/admin/users?format=json").json()["users"]}
    assert {"ada", "ed", "rita", "lena"} <= set(users)
    assert users["lena"]["departments"] == ["Legal"] and users["lena"]["role"] == "reader"
    assert users["ada"]["last_sign_in"] is not None and users["rita"]["last_sign_in"] is None
    assert 'href="/admin/users"' in admin.get("/formats").text


def test_web_admin_users_form_without_its_csrf_token_changes_nothing(client, admin):
    fields = {"name": "mallory", "role": "admin", "password": NEW_PASSWORD}
    assert post(admin, "/admin/users", csrf_token="forged", **fields).status_code == 403
    assert admin.post("/admin/users", data=fields).status_code == 403
    assert client.app.state.glossary.auth.user("mallory") is None
    assert post(admin, "/admin/users/rita", csrf_token="", role="admin").status_code == 403
    assert client.app.state.glossary.auth.user("rita").role == "reader"


def test_web_admin_users_reader_with_a_valid_csrf_token_is_refused(client):
    reader = signed_in(client, "rita")
    html = reader.get("/formats").text
    own_token = form_token(html[html.index('action="/logout"') :])  # the reader's session's
    fields = {"name": "mallory", "role": "admin", "password": NEW_PASSWORD}
    refused = reader.post("/admin/users", data={**fields, "csrf_token": own_token})
    assert refused.status_code == 403 and "rita is a reader" in refused.text
    assert client.app.state.glossary.auth.user("mallory") is None


def test_web_admin_users_added_account_signs_in_with_its_role_and_departments(client, admin):
    fields = {"name": "nora", "role": "editor", "departments": "Legal, Finance"}
    response = post(admin, "/admin/users", password=NEW_PASSWORD, **fields)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users/nora?done=added"
    assert can_sign_in(client, "nora", NEW_PASSWORD)
    shown = admin.get("/admin/users/nora?format=json").json()
    assert shown["role"] == "editor" and shown["departments"] == ["Finance", "Legal"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "nora", "role": "reader", "password": "short"}, "password"),
        ({"name": "nora", "role": "boss", "password": NEW_PASSWORD}, "role"),
        ({"name": "rita", "role": "reader", "password": NEW_PASSWORD}, "name"),
        ({"name": "no ra", "role": "reader", "password": NEW_PASSWORD}, "name"),
        ({"name": "nora", "role": "reader", "password": "x" * 2000}, "password"),
        ({"name": "nora", "departments": "a" * 70, "password": NEW_PASSWORD}, "departments"),
    ],
)
def test_web_admin_users_bad_field_is_refused_naming_it(client, admin, fields, field):
    response = post(admin, "/admin/users?format=json", **fields)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    html = post(admin, "/admin/users", **fields)
    assert html.status_code == 400 and f'id="err-{field}"' in html.text
    assert fields["name"] == "rita" or client.app.state.glossary.auth.user(fields["name"]) is None


def test_web_admin_users_edit_changes_what_the_user_may_read(client, admin):
    rita = token_headers(client, "rita")
    assert client.get("/api/documents/res", headers=rita).status_code == 404
    response = post(admin, "/admin/users/rita", role="contributor", departments="Legal")
    assert response.headers["location"] == "/admin/users/rita?done=saved"
    assert client.get("/api/documents/res", headers=rita).status_code == 200
    assert client.app.state.glossary.auth.user("rita").role == "contributor"


def test_web_admin_users_admin_cannot_demote_disable_or_delete_themselves(client, admin):
    for path, fields in [("", {"role": "reader"}), ("/disable", {}), ("/delete", {})]:
        response = post(admin, f"/admin/users/ada{path}", **fields)
        assert response.status_code == 400 and "another admin" in response.text
    assert client.app.state.glossary.auth.user("ada").role == "admin"
    assert can_sign_in(client, "ada", "correct horse battery")


def test_web_admin_users_disabled_account_is_locked_out_until_a_new_password(client, admin):
    rita_api = token_headers(client, "rita")
    rita = signed_in(client, "rita")
    assert post(admin, "/admin/users/rita/disable").status_code == 303
    assert not can_sign_in(client, "rita", "correct horse battery")
    assert client.get("/api/search?q=gasket", headers=rita_api).status_code == 401
    assert "Signed in as" not in rita.get("/formats").text
    listed = admin.get("/admin/users/rita?format=json").json()
    assert listed["disabled"] is True and listed["tokens"] == []
    assert post(admin, "/admin/users/rita/password", password=NEW_PASSWORD).status_code == 303
    assert can_sign_in(client, "rita", NEW_PASSWORD)
    assert admin.get("/admin/users/rita?format=json").json()["disabled"] is False


def test_web_admin_users_new_password_ends_the_users_sessions(client, admin):
    rita = signed_in(client, "rita")
    assert post(admin, "/admin/users/rita/password", password="short").status_code == 400
    assert "Signed in as" in rita.get("/formats").text
    assert post(admin, "/admin/users/rita/password", password=NEW_PASSWORD).status_code == 303
    assert "Signed in as" not in rita.get("/formats").text
    assert not can_sign_in(client, "rita", "correct horse battery")


def test_web_admin_users_deleted_account_no_longer_signs_in(client, admin):
    response = post(admin, "/admin/users/rita/delete")
    assert response.headers["location"] == "/admin/users?done=deleted&user=rita"
    assert "Deleted rita." in admin.get(response.headers["location"]).text
    assert not can_sign_in(client, "rita", "correct horse battery")
    assert admin.get("/admin/users/rita").status_code == 404


def test_web_admin_users_revoked_token_is_refused(client, admin):
    headers = token_headers(client, "lena")
    token_id = admin.get("/admin/users/lena?format=json").json()["tokens"][0]["id"]
    response = post(admin, f"/admin/users/lena/tokens/{token_id}/revoke")
    assert response.headers["location"] == "/admin/users/lena?done=revoked"
    assert client.get("/api/documents/pub", headers=headers).status_code == 401
    assert post(admin, f"/admin/users/rita/tokens/{token_id}/revoke").status_code == 400
