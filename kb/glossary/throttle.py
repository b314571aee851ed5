"""Sign-in throttling: failed sign-ins counted per account and per address, and a cap on
the password checks that run at once.

Rules. Once an account name, or an address, has `max_failures` failed sign-ins within
`lock_minutes`, every sign-in for that name (from any address), or from that address (for
any name), is refused without checking the password until `lock_minutes` have passed. A
lock expires on its own and refused attempts do not extend it, so the right user is never
locked out for longer than that. Names are counted whether or not such a user exists, so a
lock does not tell which names are real. A correct sign-in clears its account's failures
but not its address's: signing in to one's own account must not reset guessing at others.

Each argon2 check holds 64 MiB, so at most `concurrency` run at once; a sign-in that finds
no free slot is refused at once (retry after a second) rather than queued.

The state lives in this process's memory. A later issue moves it to a shared database, so
that several server processes count together and a lock survives a restart.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kb.glossary.clock import Clock, utc_now

# Per kind (names, addresses): 10,000 entries of up to 10 failure times are a few MB. When
# full, the entry that failed longest ago goes first.
MAX_TRACKED = 10_000
BUSY_RETRY_SECONDS = 1


@dataclass(frozen=True)
class SignInLimits:
    max_failures: int = 10
    lock_minutes: int = 15
    concurrency: int = 2
    max_tracked: int = MAX_TRACKED

    def __post_init__(self):
        for name in ("max_failures", "lock_minutes", "concurrency", "max_tracked"):
            value = getattr(self, name)
            if value < 1:  # the first three are settings: login_max_failures, ...
                label = name if name == "max_tracked" else f"setting login_{name}"
                raise ValueError(f"{label}: must be at least 1, got {value}")


class SignInRefused(Exception):
    """A sign-in refused without checking its password; try again after `retry_after` s."""

    def __init__(self, reason: str, retry_after: int, message: str):
        super().__init__(message)
        self.reason = reason  # "locked" or "busy"
        self.retry_after = retry_after
        self.message = message


class _Failures:
    """Recent failure times (seconds) of one name or address, oldest first."""

    def __init__(self, max_failures: int):
        self.times: deque[float] = deque(maxlen=max_failures)
        self.locked_until = 0.0

    def record(self, now: float, window: float) -> None:
        self.times.append(now)
        if len(self.times) == self.times.maxlen and now - self.times[0] <= window:
            self.locked_until = now + window
            self.times.clear()  # a fresh count once the lock ends

    def stale(self, now: float, window: float) -> bool:
        return now >= self.locked_until and (not self.times or now - self.times[-1] > window)


class _FailureTable:
    """Failures by key, least recently failed first; at most `limit` keys."""

    def __init__(self, limits: SignInLimits):
        self.limits = limits
        self.window = limits.lock_minutes * 60.0
        self.entries: OrderedDict[str, _Failures] = OrderedDict()

    def locked_for(self, key: str, now: float) -> float:
        entry = self.entries.get(key)
        return max(0.0, entry.locked_until - now) if entry else 0.0

    def record(self, key: str, now: float) -> None:
        entry = self.entries.pop(key, None) or _Failures(self.limits.max_failures)
        entry.record(now, self.window)
        self.entries[key] = entry  # to the end: most recent
        self._prune(now)

    def forget(self, key: str) -> None:
        self.entries.pop(key, None)

    def _prune(self, now: float) -> None:
        while self.entries:
            oldest = next(iter(self.entries.values()))
            if not oldest.stale(now, self.window) and len(self.entries) <= self.limits.max_tracked:
                return
            self.entries.popitem(last=False)


class SignInThrottle:
    """Counts failures and hands out password-check slots; thread-safe."""

    def __init__(self, limits: SignInLimits | None = None, clock: Clock = utc_now):
        self.limits = limits or SignInLimits()
        self.clock = clock
        self._names = _FailureTable(self.limits)
        self._addresses = _FailureTable(self.limits)
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.limits.concurrency)

    def _now(self) -> float:
        return self.clock().timestamp()

    def check(self, name: str, address: str) -> None:
        """Raise SignInRefused while `name` or `address` is locked."""
        now = self._now()
        with self._lock:
            wait = max(self._names.locked_for(name, now), self._addresses.locked_for(address, now))
        if wait > 0:
            minutes = math.ceil(wait / 60)
            raise SignInRefused(
                "locked",
                math.ceil(wait),
                f"Sign-in is locked for {minutes} minute{'s' if minutes != 1 else ''} because "
                "of repeated failed attempts for this user name or from this address. "
                "Try again after that.",
            )

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
        now = self._now()
        with self._lock:
            self._names.record(name, now)
            self._addresses.record(address, now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._names.forget(name)

    def tracked(self) -> tuple[int, int]:
        """How many names and addresses have failures or locks on record."""
        with self._lock:
            return len(self._names.entries), len(self._addresses.entries)
