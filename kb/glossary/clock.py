"""The glossary's time: an injectable clock, and timestamps stored as ISO 8601 UTC strings to
the second ('2026-01-31T12:00:00Z'), which sort in time order on every database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]
_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in UTC to the second; such strings sort in time order."""
    return moment.astimezone(dt.UTC).strftime(_FORMAT)


def parse_timestamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, _FORMAT).replace(tzinfo=dt.UTC)
