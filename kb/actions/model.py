"""Action items followed through: each has an owner, a due date and a status that people
change on the web or through the API. Imported files are never rewritten: a document's
Actions section gives an item its text, owner, due date and first status (`[x]` = done);
every later change lives in the state database with its history.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from kb.problems import InputError

STATUSES = ("open", "in-progress", "done", "dropped")
OPEN_STATUSES = ("open", "in-progress")
MAX_TEXT_CHARS = 500
MAX_OWNER_CHARS = 120
MAX_NOTE_CHARS = 2_000
_DUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ActionError(InputError):
    """A change or a new action that cannot be taken; `field` names the input at fault."""


def action_id(doc_id: str, text: str) -> str:
    """A document action's stable id: the same while its document keeps its id and the
    item its words (re-indexing, moving the file or ticking its box keep it)."""
    words = " ".join(text.lower().split())
    return "a" + hashlib.sha256(f"{doc_id}\n{words}".encode()).hexdigest()[:15]


def same_person(owner: str, account: str) -> bool:
    """An owner as written in a document ('Marcus Feld') and an account name ('marcus.feld',
    'Marcus_Feld', 'marcus feld'): equal once case and separators are ignored."""
    norm = [" ".join(re.split(r"[\s._-]+", name.strip().lower())) for name in (owner, account)]
    return bool(norm[0]) and norm[0] == norm[1]


@dataclass(frozen=True)
class ActionUpdate:
    action_id: str
    status: str
    note: str
    user: str
    at: str


@dataclass(frozen=True)
class ActionItem:
    id: str
    doc_id: str
    doc_title: str
    department: str
    text: str
    owner: str
    due: str  # YYYY-MM-DD, or "" when none was given
    status: str
    source: str  # "document" (its Actions section) or "web" (added on the web)
    since: str  # when it was recorded: the document's date or the day it was added
    history: list[ActionUpdate] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_days(self, today: date) -> int:
        """Days past due while still open; 0 when not overdue."""
        if not self.is_open or not self.due:
            return 0
        return max(0, (today - date.fromisoformat(self.due)).days)

    def age_days(self, today: date) -> int:
        return max(0, (today - date.fromisoformat(self.since[:10])).days)

    @property
    def last_change(self) -> ActionUpdate | None:
        return self.history[-1] if self.history else None

    def to_dict(self, today: date) -> dict:
        data = asdict(self)
        data["done"] = self.status == "done"  # the field API clients read before statuses
        data["overdue_days"] = self.overdue_days(today)
        data["age_days"] = self.age_days(today)
        return data


def check_status(status: str) -> str:
    value = (status or "").strip().lower()
    if value not in STATUSES:
        raise ActionError("status", f"must be one of {', '.join(STATUSES)}, got {status!r}")
    return value


def check_due(due: str) -> str:
    value = (due or "").strip()
    if not value:
        return ""
    try:
        if _DUE.match(value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise ActionError("due", f"expected a date YYYY-MM-DD, got {due[:40]!r}")


def check_text(name: str, value: str, limit: int, required: bool) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ActionError(name, "is empty")
    if len(text) > limit:
        raise ActionError(name, f"is {len(text):,} characters; at most {limit:,}")
    return text
