"""Sign-in throttling through HTTP: locks per account and per address, with Retry-After,
expiring on their own; and at most login_concurrency password checks at once."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from kb.knowledge_base import KnowledgeBase
from tests.kb.glossary.glossary_support import (
    PASSWORD,
    FakeClock,
    add_users,
    build_index,
    copy_index,
)
from tests.web.glossary_support import CountingHasher, login, on_state_database
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


# Not the defaults (10, 15, 2), so the tests show that create_app passes the settings on.
LIMITS = {"login_max_failures": 5, "login_lock_minutes": 20, "login_concurrency": 3}


def serve(settings, clock, hasher):
    """One server process's app over settings (its own engine on their state database)."""
    kb = KnowledgeBase(settings)
    return create_app(settings, kb, editorial=build_glossary(settings, kb, hasher, clock))


@pytest.fixture
def app(template, tmp_path, clock, hasher):
    settings = replace(copy_index(template, tmp_path), **LIMITS)
    app = serve(settings, clock, hasher)
    add_users(app.state.glossary)
    return app


def client_at(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def patient_login(client, clock: FakeClock, name: str, password: str = PASSWORD, headers=None):
    """Sign in as a patient person would: told to slow down, wait as long as Retry-After says
    and try again; any other answer (a lock too) is returned."""
    while True:
        response = login(client, name, password, headers=headers)
        if response.status_code != 429 or "slowed down" not in response.text:
            return response
        clock.advance(seconds=int(response.headers["Retry-After"]))


def test_web_sign_in_throttle_slows_down_before_it_locks(app, clock, hasher):
    client = client_at(app, "10.0.0.1")
    assert [login(client, "ed", WRONG).status_code for _ in range(3)] == [401] * 3
    waits = []
    for _ in range(2):  # the 4th and 5th failures each come after a longer wait
        refused = login(client, "ed", WRONG, headers=JSON)
        assert refused.status_code == 429 and refused.json()["reason"] == "slowed"
        waits.append(int(refused.headers["Retry-After"]))
        assert f"wait {waits[-1]} second" in refused.json()["detail"]
        clock.advance(seconds=waits[-1] - 1)
        assert login(client, "ed", WRONG).status_code == 429  # not yet; and not extended
        clock.advance(seconds=1)
        assert login(client, "ed", WRONG).status_code == 401
    assert waits == [1, 2]
    assert hasher.checks == 5  # refused attempts never reach the password hasher
    assert "locked for 20 minutes" in login(client, "ed", WRONG).text


def test_web_sign_in_throttle_locks_an_account_after_repeated_failures(app, clock, hasher):
    client = client_at(app, "10.0.0.1")
    statuses = [patient_login(client, clock, "ed", WRONG).status_code for _ in range(20)]
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}
    assert hasher.checks == 5  # refused attempts never reach the password hasher
    refused = login(client, "ed", WRONG)
    assert 19 * 60 < int(refused.headers["Retry-After"]) <= 20 * 60
    assert "Sign-in is locked for 20 minutes because of repeated failed attempts" in refused.text
    assert "Try again after 09:20:03 UTC" in refused.text  # 1 + 2 s of waiting, then locked
    assert 'name="password"' in refused.text  # the form is still there for later


def test_web_sign_in_throttle_answers_json_clients_in_json(app, clock):
    client = client_at(app, "10.0.0.1")
    for _ in range(5):
        failed = patient_login(client, clock, "ed", WRONG, headers=JSON)
        assert failed.json()["detail"].startswith("Sign-in failed")
    refused = login(client, "ed", WRONG, headers=JSON)
    assert refused.status_code == 429
    body = refused.json()
    assert body["reason"] == "locked" and body["retry_after"] == 20 * 60
    assert refused.headers["Retry-After"] == "1200" and "locked for 20 minutes" in body["detail"]


def test_web_sign_in_throttle_lock_expires_on_its_own(app, clock):
    client = client_at(app, "10.0.0.1")
    for _ in range(5):
        patient_login(client, clock, "ed", WRONG)
    assert login(client, "ed").status_code == 429  # even the right password, while locked
    clock.advance(minutes=19, seconds=59)
    assert login(client, "ed").status_code == 429
    clock.advance(seconds=1)
    assert login(client, "ed").status_code == 303


def test_web_sign_in_throttle_a_correct_sign_in_clears_the_account(app, clock):
    client = client_at(app, "10.0.0.1")
    for _ in range(4):
        patient_login(client, clock, "ed", WRONG)
    assert patient_login(client, clock, "ed").status_code == 303
    other = client_at(app, "10.0.0.2")
    assert [patient_login(other, clock, "ed", WRONG).status_code for _ in range(4)] == [401] * 4
    # The address's failures stay: signing in to one's own account resets no guessing.
    assert patient_login(client, clock, "eve", WRONG).status_code == 401
    assert login(client, "eve").status_code == 429


def test_web_sign_in_throttle_failures_far_apart_never_lock(app, clock):
    client = client_at(app, "10.0.0.1")
    for _ in range(12):
        assert login(client, "ed", WRONG).status_code == 401
        clock.advance(minutes=6)  # 5 failures always span more than 20 minutes


def test_web_sign_in_throttle_a_locked_account_is_locked_from_every_address(app, clock):
    guesser, owner = client_at(app, "10.0.0.1"), client_at(app, "10.0.0.2")
    for _ in range(5):
        patient_login(guesser, clock, "ed", WRONG)
    assert login(owner, "ed").status_code == 429
    assert login(owner, "eve").status_code == 303  # other accounts from other addresses: fine
    assert login(guesser, "eve").status_code == 429  # the guessing address: locked for all


def test_web_sign_in_throttle_a_locked_address_locks_no_account_elsewhere(app, clock):
    sprayer = client_at(app, "10.0.0.9")
    for name in ("ed", "eve", "rita", "ada", "nobody"):  # one guess each: no account locked
        assert patient_login(sprayer, clock, name, WRONG).status_code == 401
    assert login(sprayer, "ada").status_code == 429
    for name in ("ed", "eve", "rita", "ada"):
        assert login(client_at(app, "10.0.0.10"), name).status_code == 303, name


def test_web_sign_in_throttle_unknown_names_lock_like_real_ones(app, clock):
    clients = {"ed": client_at(app, "10.0.0.1"), "nobody": client_at(app, "10.0.0.2")}
    answers = {name: [] for name in clients}

    def everyone_tries(times: int = 1) -> None:
        for name, client in clients.items():  # at the same moments, from their own addresses
            for _ in range(times):
                answer = login(client, name, WRONG, headers=JSON)
                answers[name].append((answer.status_code, answer.json()))

    everyone_tries(4)
    for wait in (1, 2):
        clock.advance(seconds=wait)
        everyone_tries(2)
    # the same answers, word for word, as for "ed": no name is told apart
    assert answers["nobody"] == answers["ed"]
    statuses = [status for status, _ in answers["ed"]]
    assert statuses == [401] * 3 + [429, 401, 429, 401, 429]
    assert answers["ed"][-1][1]["reason"] == "locked"


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


def test_web_sign_in_throttle_servers_on_one_state_database_count_together(
    template, tmp_path, state_url, clock, hasher
):
    settings = on_state_database(replace(copy_index(template, tmp_path), **LIMITS), state_url)
    first, second = serve(settings, clock, hasher), serve(settings, clock, hasher)
    add_users(first.state.glossary)
    servers = [client_at(first, "10.0.0.1"), client_at(second, "10.0.0.2")]
    # a guesser alternating between the two servers, from two addresses: the account counts
    statuses = [patient_login(servers[n % 2], clock, "ed", WRONG).status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    restarted = client_at(serve(settings, clock, hasher), "10.0.0.3")
    assert "locked for 20 minutes" in login(restarted, "ed").text  # the lock outlives a server
    clock.advance(minutes=20)
    assert login(restarted, "ed").status_code == 303  # and then the right password works
