"""Sign-in by an authenticating reverse proxy: its user and departments headers are believed
only from KB_TRUSTED_PROXIES; from anywhere else they are ignored (no spoofing)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from starlette.datastructures import Headers

from kb.settings import Settings
from tests.kb.glossary.glossary_support import build_index, copy_index
from tests.web.glossary_support import login, make_app
from web.security import current_session
from web.trusted_identity import IdentityHeaders

PROXY = ("10.0.0.5", 40000)
ELSEWHERE = ("192.168.1.9", 40000)
AS_FAY = {"X-Forwarded-User": "fay", "X-Forwarded-Groups": "Finance, Legal"}


def whoami(request: Request) -> dict:
    session = current_session(request)
    if session is None:
        return {"user": None}
    user = session.user
    return {"user": user.name, "role": user.role, "departments": list(user.departments)}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = copy_index(
        build_index(tmp_path_factory.mktemp("trusted")), tmp_path_factory.mktemp("t")
    )
    settings = replace(
        settings,
        trusted_proxies="127.0.0.1, 10.0.0.0/24",
        trusted_user_header="X-Forwarded-User",
        trusted_groups_header="X-Forwarded-Groups",
    )
    app = make_app(settings)
    app.add_api_route("/test/whoami", whoami)
    yield app
    app.state.glossary.state.dispose()


def ask(app, client_address, headers) -> dict:
    return TestClient(app, client=client_address).get("/test/whoami", headers=headers).json()


def test_web_trusted_proxy_user_without_account_is_a_reader_of_the_header_departments(app):
    assert ask(app, PROXY, AS_FAY) == {
        "user": "fay",
        "role": "reader",
        "departments": ["Finance", "Legal"],
    }


def test_web_trusted_proxy_groups_on_several_header_lines_are_all_read(app):
    lines = [("X-Forwarded-User", "fay"), ("X-Forwarded-Groups", "Legal")]
    lines.append(("X-Forwarded-Groups", "Finance,Safety"))
    assert ask(app, PROXY, lines)["departments"] == ["Finance", "Legal", "Safety"]


def test_web_trusted_proxy_headers_from_an_untrusted_address_are_ignored(app):
    assert ask(app, ELSEWHERE, AS_FAY) == {"user": None}
    spoofed = {**AS_FAY, "X-Forwarded-For": "10.0.0.5"}  # claiming to be the proxy
    assert ask(app, ELSEWHERE, spoofed) == {"user": None}


def test_web_trusted_proxy_existing_account_keeps_its_role_with_header_departments(app):
    answer = ask(app, PROXY, {"X-Forwarded-User": "ed", "X-Forwarded-Groups": "Safety"})
    assert answer == {"user": "ed", "role": "editor", "departments": ["Safety"]}
    client = TestClient(app, client=PROXY, follow_redirects=False)
    review = client.get("/glossary/review", headers={"X-Forwarded-User": "ed"})
    assert review.status_code == 200  # an editor page, opened by the proxy's sign-in
    assert "Signed in as <strong>ed</strong>" in review.text


def test_web_trusted_proxy_password_sign_in_goes_first_so_editors_can_post(app):
    client = TestClient(app, client=PROXY, headers={"X-Forwarded-User": "fay"})
    assert client.get("/test/whoami").json()["user"] == "fay"
    assert login(client, "ed").status_code == 303
    signed_in = {"user": "ed", "role": "editor", "departments": []}
    assert client.get("/test/whoami").json() == signed_in


def test_web_trusted_proxy_bad_user_name_is_anonymous(app):
    assert ask(app, PROXY, {"X-Forwarded-User": "fay<script>"}) == {"user": None}


def test_web_trusted_proxy_is_off_without_the_user_header_setting():
    settings = Settings(trusted_proxies="*")
    identity = IdentityHeaders.from_settings(settings).identity("10.0.0.5", Headers(AS_FAY))
    assert identity is None


def test_web_trusted_proxy_does_not_sign_in_a_disabled_account(app):
    auth = app.state.glossary.auth
    auth.create_user("dora", "a long passphrase", "editor")
    assert ask(app, PROXY, {"X-Forwarded-User": "dora"})["user"] == "dora"
    auth.disable_user("dora")
    assert ask(app, PROXY, {"X-Forwarded-User": "dora"}) == {"user": None}
