"""The sign-in throttle's bookkeeping in the state database (SQLite and PostgreSQL): slowing
down then locking per account and per address, expiry, sharing between servers, and a
bounded table."""

from __future__ import annotations

import pytest

from kb.glossary.sign_in_failures import database_throttle
from kb.glossary.throttle import SignInLimits, SignInRefused, SignInThrottle
from kb.state import StateDB
from tests.kb.glossary.glossary_support import FakeClock

DEFAULTS = SignInLimits()  # 3 free failures, lock at 10 for 15 minutes


def waits_until_locked(throttle: SignInThrottle, clock: FakeClock, attempts) -> list:
    """Fail each (name, address) in turn as soon as allowed; the waits asked for, in order,
    until a lock: (reason, seconds) pairs."""
    waits = []
    for name, address in attempts:
        try:
            throttle.check(name, address)
        except SignInRefused as refused:
            waits.append((refused.reason, refused.retry_after))
            if refused.reason == "locked":
                return waits
            clock.advance(seconds=refused.retry_after)
            throttle.check(name, address)  # the wait is over: this attempt is let through
        throttle.failed(name, address)
    return waits


def slowed(*seconds: int) -> list:
    return [("slowed", s) for s in seconds]


def test_glossary_throttle_slows_down_then_locks_an_account(state_db):
    clock = FakeClock()
    throttle = database_throttle(state_db.engine, DEFAULTS, clock)
    from_many_addresses = [("ed", f"10.0.0.{n}") for n in range(20)]
    waits = waits_until_locked(throttle, clock, from_many_addresses)
    assert waits == slowed(1, 2, 4, 8, 16, 32, 64) + [("locked", 15 * 60)]


def test_glossary_throttle_slows_down_then_locks_an_address(state_db):
    clock = FakeClock()
    throttle = database_throttle(state_db.engine, DEFAULTS, clock)
    many_names = [(f"name-{n}", "10.0.0.1") for n in range(20)]
    waits = waits_until_locked(throttle, clock, many_names)
    assert waits == slowed(1, 2, 4, 8, 16, 32, 64) + [("locked", 15 * 60)]
    with pytest.raises(SignInRefused, match="locked for 15 minutes because"):
        throttle.check("someone-else", "10.0.0.1")
    throttle.check("someone-else", "10.0.0.2")  # other addresses are not held up


def test_glossary_throttle_keeps_a_lock_until_it_expires(state_db):
    clock = FakeClock()
    throttle = database_throttle(
        state_db.engine, SignInLimits(max_failures=2, lock_minutes=1), clock
    )
    throttle.failed("ed", "10.0.0.1")
    throttle.failed("ed", "10.0.0.2")
    with pytest.raises(SignInRefused, match="locked for 1 minute because") as refused:
        throttle.check("ed", "10.0.0.3")
    assert refused.value.retry_after == 60 and refused.value.reason == "locked"
    assert "Try again after 09:01:00 UTC" in refused.value.message
    clock.advance(seconds=59)
    with pytest.raises(SignInRefused):
        throttle.check("ed", "10.0.0.3")  # refusing does not extend the lock ...
    clock.advance(seconds=1)
    throttle.check("ed", "10.0.0.3")  # ... which ends on time
    throttle.failed("ed", "10.0.0.3")
    throttle.check("ed", "10.0.0.4")  # and the count starts afresh


def test_glossary_throttle_servers_on_one_database_count_together(state_url, tmp_path):
    clock = FakeClock()
    databases = [StateDB(state_url, tmp_path) for _ in range(3)]  # three processes' engines
    databases[0].require_current()
    limits = SignInLimits(max_failures=4)
    servers = [database_throttle(db.engine, limits, clock) for db in databases[:2]]
    alternating = [("ed", f"10.0.0.{n}") for n in range(4)]
    for number, (name, address) in enumerate(alternating):
        clock.advance(seconds=60)  # past any slow-down
        servers[number % 2].failed(name, address)
    for server in (*servers, database_throttle(databases[2].engine, limits, clock)):
        with pytest.raises(SignInRefused, match="locked"):  # also one started afterwards
            server.check("ed", "10.9.9.9")
    for db in databases:
        db.dispose()


def test_glossary_throttle_tracks_at_most_max_tracked_names_and_addresses(state_db):
    throttle = database_throttle(state_db.engine, SignInLimits(max_tracked=4), FakeClock())
    for n in range(50):
        throttle.failed(f"name-{n}", f"10.0.0.{n}")
    assert throttle.tracked() == (4, 4)


def test_glossary_throttle_forgets_failures_older_than_the_window(state_db):
    clock = FakeClock()
    throttle = database_throttle(state_db.engine, SignInLimits(lock_minutes=15), clock)
    for n in range(20):
        throttle.failed(f"name-{n}", f"10.0.0.{n}")
    clock.advance(minutes=15, seconds=1)
    throttle.failed("late", "10.9.9.9")
    assert throttle.tracked() == (1, 1)


def test_glossary_throttle_a_success_clears_the_name_not_the_address(state_db):
    clock = FakeClock()
    throttle = database_throttle(state_db.engine, DEFAULTS, clock)
    for _ in range(3):
        throttle.failed("ed", "10.0.0.1")
    throttle.succeeded("ed")
    throttle.check("ed", "10.0.0.2")
    with pytest.raises(SignInRefused, match="slowed down"):
        throttle.check("eve", "10.0.0.1")


@pytest.mark.parametrize("name", ["max_failures", "lock_minutes", "concurrency"])
def test_glossary_throttle_limits_below_one_name_the_setting(name):
    with pytest.raises(ValueError, match=f"setting login_{name}: must be at least 1, got 0"):
        SignInLimits(**{name: 0})
