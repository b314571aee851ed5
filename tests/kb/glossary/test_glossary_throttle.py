"""The sign-in throttle's bookkeeping: bounded memory, expiry, and its limits checked."""

from __future__ import annotations

import pytest

from kb.glossary.throttle import SignInLimits, SignInRefused, SignInThrottle
from tests.kb.glossary.glossary_support import FakeClock


def test_glossary_throttle_tracks_at_most_max_tracked_names_and_addresses():
    throttle = SignInThrottle(SignInLimits(max_failures=3, max_tracked=4), FakeClock())
    for n in range(50):
        throttle.failed(f"name-{n}", f"10.0.0.{n}")
    assert throttle.tracked() == (4, 4)


def test_glossary_throttle_forgets_failures_older_than_the_window():
    clock = FakeClock()
    throttle = SignInThrottle(SignInLimits(max_failures=3, lock_minutes=15), clock)
    for n in range(20):
        throttle.failed(f"name-{n}", f"10.0.0.{n}")
    clock.advance(minutes=15, seconds=1)
    throttle.failed("late", "10.9.9.9")
    assert throttle.tracked() == (1, 1)


def test_glossary_throttle_keeps_a_lock_until_it_expires():
    clock = FakeClock()
    throttle = SignInThrottle(SignInLimits(max_failures=2, lock_minutes=1), clock)
    throttle.failed("ed", "10.0.0.1")
    throttle.failed("ed", "10.0.0.2")
    with pytest.raises(SignInRefused, match="locked for 1 minute because") as refused:
        throttle.check("ed", "10.0.0.3")
    assert refused.value.retry_after == 60 and refused.value.reason == "locked"
    clock.advance(seconds=60)
    throttle.check("ed", "10.0.0.3")


@pytest.mark.parametrize("name", ["max_failures", "lock_minutes", "concurrency"])
def test_glossary_throttle_limits_below_one_name_the_setting(name):
    with pytest.raises(ValueError, match=f"setting login_{name}: must be at least 1, got 0"):
        SignInLimits(**{name: 0})
