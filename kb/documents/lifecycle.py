"""The lessons-learned cycle a document's `status` follows, and what each state requires.

observation -> lesson-identified -> action-in-progress -> lesson-learned -> archived. A
document that declares no status is `lesson-identified` (DEFAULT_STATUS, documented in
docs/formats.md); any other word is refused, naming the allowed ones, so an import maps its
own words through the `status:` table of its mapping file instead of being guessed.
"""

from __future__ import annotations

import re

from kb.problems import DocumentError

OBSERVATION = "observation"
LESSON_IDENTIFIED = "lesson-identified"
ACTION_IN_PROGRESS = "action-in-progress"
LESSON_LEARNED = "lesson-learned"
ARCHIVED = "archived"

STATUSES = (OBSERVATION, LESSON_IDENTIFIED, ACTION_IN_PROGRESS, LESSON_LEARNED, ARCHIVED)
STATUS_LABELS = {
    OBSERVATION: "Observation",
    LESSON_IDENTIFIED: "Lesson identified",
    ACTION_IN_PROGRESS: "Action in progress",
    LESSON_LEARNED: "Lesson learned",
    ARCHIVED: "Archived",
}
# What a document that declares no status is: written down as a lesson, not yet acted on.
DEFAULT_STATUS = LESSON_IDENTIFIED
# Evidence that a lesson was applied and worked: an Evidence section or an `evidence:` field.
EVIDENCE_SECTION = "evidence"
EVIDENCE_FIELD = "evidence"


def status_key(value: str) -> str:
    """A status as written, in its canonical spelling: `Lesson learned` -> `lesson-learned`."""
    return re.sub(r"[\s_-]+", "-", str(value).strip().casefold())


def normalize_status(value: str) -> str | None:
    """The lifecycle state `value` spells, or None if it names none."""
    key = status_key(value)
    return key if key in STATUSES else None


def unknown_status_message(value: str) -> str:
    return (
        f"unknown status {value!r}; expected one of {', '.join(STATUSES)} (map an import's own "
        "values with a `status:` table in its mapping file, see docs/formats.md)"
    )


def check_status(value: str) -> str:
    """The canonical state of a document's `status`; DocumentError naming the field if none."""
    status = normalize_status(value)
    if status is None:
        shown = value if len(value) <= 60 else value[:60] + "…"
        raise DocumentError(unknown_status_message(shown), field="status")
    return status


def check_evidence(status: str, has_evidence_section: bool, evidence_field) -> None:
    """`lesson-learned` means validated: the document must say what shows the lesson worked."""
    if status != LESSON_LEARNED or has_evidence_section or _filled(evidence_field):
        return
    raise DocumentError(
        "status 'lesson-learned' needs evidence that the lesson was applied and worked: add an "
        "'Evidence' section with text or an `evidence:` field (figures, links, tickets), or "
        "declare 'action-in-progress'",
        field="status",
    )


def _filled(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_filled(item) for item in value)
    return value is not None and bool(str(value).strip())
