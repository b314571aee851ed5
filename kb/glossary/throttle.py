"""Sign-in throttling: failed sign-ins counted per account name and per source address in
the state database, slowing down and then locking; and a cap on password checks at once.

Rules. A name's or an address's failures count together as a run while each came within
`lock_minutes` of the run's first. After `free_failures` (3) failures in a run, each further
attempt must wait 1 s after the last failure, then 2, 4, 8 ... s (refused with the time to
wait, never by holding a worker); at `max_failures` the name or address is locked for
`lock_minutes`. With the defaults (3, 10, 15) a guesser gets 10 checks in about 130 s, then
none for 15 minutes. Refused attempts are not counted and extend nothing, so a lock ends on
its own and the right password works after it. Every name is counted whether or not such a
user exists, so no answer tells which names are real. A correct sign-in clears its account's
failures but not its address's: signing in to one's own account must not reset guessing at
others.

The counts live in the state database (kb/glossary/sign_in_failures.py), so every server on
it counts together; attempts racing through the check at the same moment can each be
checked, so a run may overshoot by the number of password checks running at once.

Each argon2 check holds 64 MiB of this process's memory, so at most `concurrency` run at once
in a process; a sign-in that finds no free slot is refused at once (retry after a second).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from kb.glossary.clock import Clock, utc_now

MAX_TRACKED = 10_000  # rows per kind (names, addresses) in the state database
BUSY_RETRY_SECONDS = 1
WHY = "because of repeated failed attempts for this user name or from this address"


@dataclass(frozen=True)
class SignInLimits:
    max_failures: int = 10
    lock_minutes: int = 15
    concurrency: int = 2
    max_tracked: int = MAX_TRACKED
    free_failures: int = 3  # failures in a run before attempts must wait

    def __post_init__(self):
        for name in ("max_failures", "lock_minutes", "concurrency", "max_tracked"):
            value = getattr(self, name)
            if value < 1:  # the first three are settings: login_max_failures, ...
                label = name if name == "max_tracked" else f"setting login_{name}"
                raise ValueError(f"{label}: must be at least 1, got {value}")

    @property
    def window(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.lock_minutes)

    def wait_after(self, failures: int) -> dt.timedelta:
        """How long the next attempt must wait after the run's `failures`-th failure."""
        if failures >= self.max_failures:
            return self.window
        if failures < self.free_failures:
            return dt.timedelta(0)
        seconds = 2 ** (failures - self.free_failures)
        return min(dt.timedelta(seconds=seconds), self.window)


@dataclass(frozen=True)
class FailureRun:
    """Failures of one name or address since `first_at`; nothing is checked before
    `retry_at`, and the run is forgotten at `expires_at`."""

    failures: int
    first_at: dt.datetime
    retry_at: dt.datetime
    expires_at: dt.datetime


class SignInRefused(Exception):
    """A sign-in refused without checking its password; try again after `retry_after` s."""

    def __init__(self, reason: str, retry_after: int, message: str):
        super().__init__(message)
        self.reason = reason  # "locked", "slowed" or "busy"
        self.retry_after = retry_after
        self.message = message


def next_run(run: FailureRun | None, now: dt.datetime, limits: SignInLimits) -> FailureRun:
    """The run after one more failure at `now`; an expired run starts afresh."""
    if run is None or run.expires_at <= now:
        failures, first_at = 1, now.replace(microsecond=0)
    else:
        failures, first_at = run.failures + 1, run.first_at
    wait = limits.wait_after(failures)
    retry_at = _ceil_second(now + wait) if wait else now.replace(microsecond=0)
    return FailureRun(failures, first_at, retry_at, max(retry_at, first_at + limits.window))


def _ceil_second(moment: dt.datetime) -> dt.datetime:
    # timestamps are stored to the second: round up, so a wait is never cut short
    whole = moment.replace(microsecond=0)
    return whole if whole == moment else whole + dt.timedelta(seconds=1)


def refusal(run: FailureRun, now: dt.datetime, limits: SignInLimits) -> SignInRefused:
    """What to answer while `run` makes attempts wait until its retry_at."""
    wait = math.ceil((run.retry_at - now).total_seconds())
    at = run.retry_at.strftime("%H:%M:%S UTC")
    if run.failures >= limits.max_failures:
        minutes = math.ceil(wait / 60)
        return SignInRefused(
            "locked",
            wait,
            f"Sign-in is locked for {_plural(minutes, 'minute')} {WHY}. Try again after {at}.",
        )
    return SignInRefused(
        "slowed",
        wait,
        f"Sign-in is slowed down {WHY}: wait {_plural(wait, 'second')} before trying again "
        f"(after {at}).",
    )


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'s' if count != 1 else ''}"


class Failures(Protocol):
    """Where failure runs are kept: kb/glossary/sign_in_failures.py's FailureStore."""

    def runs(self, keys: dict[str, str]) -> list[FailureRun]: ...
    def record(self, kind: str, value: str, change, now: dt.datetime) -> None: ...
    def forget(self, kind: str, value: str) -> None: ...
    def count(self, kind: str) -> int: ...


class SignInThrottle:
    """Failures kept in `failures` (the state database's, through database_throttle in
    kb/glossary/sign_in_failures.py), and this process's password-check slots."""

    def __init__(self, failures: Failures, limits: SignInLimits, clock: Clock = utc_now):
        self.limits = limits
        self.clock = clock
        self.failures = failures
        self._slots = threading.BoundedSemaphore(self.limits.concurrency)

    def check(self, name: str, address: str) -> None:
        """Raise SignInRefused while `name` or `address` must wait (slowed down or locked)."""
        now = self.clock()
        waiting = [
            run
            for run in self.failures.runs({"name": name, "address": address})
            if run.retry_at > now
        ]
        if waiting:
            raise refusal(max(waiting, key=lambda run: run.retry_at), now, self.limits)

    @contextmanager
    def password_check(self) -> Iterator[None]:
        """Hold one of the `concurrency` slots for a password check, or raise SignInRefused."""
        if not self._slots.acquire(blocking=False):
            raise SignInRefused(
                "busy",
                BUSY_RETRY_SECONDS,
                "The server is busy checking other sign-ins. Try again in a second.",
            )
        try:
            yield
        finally:
            self._slots.release()

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        for kind, value in (("name", name), ("address", address)):
            self.failures.record(kind, value, lambda run: next_run(run, now, self.limits), now)

    def succeeded(self, name: str) -> None:
        self.failures.forget("name", name)

    def tracked(self) -> tuple[int, int]:
        """How many names and addresses have failures or locks on record."""
        return self.failures.count("name"), self.failures.count("address")
