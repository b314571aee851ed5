"""Sign-in throttling through HTTP: locks per account and per address, with Retry-After,
expiring on their own; and at most login_concurrency password checks at once."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from kb.knowledge_base import KnowledgeBase
from tests.kb.glossary.glossary_support import FakeClock, add_users, build_index, copy_index
from tests.web.glossary_support import CountingHasher, login
from web.app import build_glossary, create_app

WRONG = "not the password"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("sign-in-throttle"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def app(template, tmp_path, clock, hasher):
    # Not the defaults (10, 15, 2), so the test shows that create_app passes the settings on.
    limits = {"login_max_failures": 5, "login_lock_minutes": 20, "login_concurrency": 3}
    settings = replace(copy_index(template, tmp_path), **limits)
    kb = KnowledgeBase(settings)
    glossary = build_glossary(settings, kb, hasher=hasher, clock=clock)
    add_users(glossary)
    return create_app(settings, kb, editorial=glossary)


def client_at(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def test_web_sign_in_throttle_locks_an_account_after_repeated_failures(app, hasher):
    client = client_at(app, "10.0.0.1")
    statuses = [login(client, "ed", WRONG).status_code for _ in range(20)]
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}
    assert hasher.checks == 5  # refused attempts never reach the password hasher
    refused = login(client, "ed", WRONG)
    assert 19 * 60 < int(refused.headers["Retry-After"]) <= 20 * 60
    assert "Sign-in is locked for 20 minutes because of repeated failed attempts" in refused.text
    assert 'name="password"' in refused.text  # the form is still there for later


def test_web_sign_in_throttle_answers_json_clients_in_json(app):
    client = client_at(app, "10.0.0.1")
    for _ in range(5):
        assert (
            login(client, "ed", WRONG, headers=JSON).json()["detail"].startswith("Sign-in failed")
        )
    refused = login(client, "ed", WRONG, headers=JSON)
    assert refused.status_code == 429
    body = refused.json()
    assert body["reason"] == "locked" and body["retry_after"] == 20 * 60
    assert refused.headers["Retry-After"] == "1200" and "locked for 20 minutes" in body["detail"]


def test_web_sign_in_throttle_lock_expires_on_its_own(app, clock):
    client = client_at(app, "10.0.0.1")
    for _ in range(5):
        login(client, "ed", WRONG)
    assert login(client, "ed").status_code == 429  # even the right password, while locked
    clock.advance(minutes=19, seconds=59)
    assert login(client, "ed").status_code == 429
    clock.advance(seconds=1)
    assert login(client, "ed").status_code == 303


def test_web_sign_in_throttle_a_correct_sign_in_clears_the_account(app):
    client = client_at(app, "10.0.0.1")
    for _ in range(4):
        login(client, "ed", WRONG)
    assert login(client, "ed").status_code == 303
    other = client_at(app, "10.0.0.2")
    assert [login(other, "ed", WRONG).status_code for _ in range(4)] == [401] * 4
    # The address's failures stay: signing in to one's own account resets no guessing.
    assert login(client, "eve", WRONG).status_code == 401
    assert login(client, "eve").status_code == 429


def test_web_sign_in_throttle_failures_far_apart_never_lock(app, clock):
    client = client_at(app, "10.0.0.1")
    for _ in range(12):
        assert login(client, "ed", WRONG).status_code == 401
        clock.advance(minutes=6)  # 5 failures always span more than 20 minutes


def test_web_sign_in_throttle_a_locked_account_is_locked_from_every_address(app):
    guesser, owner = client_at(app, "10.0.0.1"), client_at(app, "10.0.0.2")
    for _ in range(5):
        login(guesser, "ed", WRONG)
    assert login(owner, "ed").status_code == 429
    assert login(owner, "eve").status_code == 303  # other accounts from other addresses: fine
    assert login(guesser, "eve").status_code == 429  # the guessing address: locked for all


def test_web_sign_in_throttle_a_locked_address_locks_no_account_elsewhere(app):
    sprayer = client_at(app, "10.0.0.9")
    for name in ("ed", "eve", "rita", "ada", "nobody"):  # one guess each: no account locked
        assert login(sprayer, name, WRONG).status_code == 401
    assert login(sprayer, "ada").status_code == 429
    for name in ("ed", "eve", "rita", "ada"):
        assert login(client_at(app, "10.0.0.10"), name).status_code == 303, name


def test_web_sign_in_throttle_unknown_names_lock_like_real_ones(app):
    client = client_at(app, "10.0.0.1")
    statuses = [login(client, "nobody", WRONG).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]  # the same answers as for "ed": no name is told apart


def test_web_sign_in_throttle_bounds_password_checks_at_once(app, hasher):
    hasher.gate.clear()
    answers: list[int] = []
    threads = [
        threading.Thread(
            target=lambda n=n: answers.append(
                login(client_at(app, f"10.1.0.{n}"), "ed").status_code
            )
        )
        for n in range(3)  # login_concurrency
    ]
    for thread in threads:
        thread.start()
    for _ in threads:
        assert hasher.entered.acquire(timeout=30), "a sign-in never reached the hasher"
    busy = login(client_at(app, "10.1.0.9"), "eve")
    hasher.gate.set()
    for thread in threads:
        thread.join(timeout=30)
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "1"
    assert "busy" in busy.text
    assert answers == [303] * 3
    assert hasher.checks == 3
    assert login(client_at(app, "10.1.0.9"), "eve").status_code == 303  # a slot is free again
