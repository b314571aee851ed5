"""The standard document model: three document types, their fields and named sections.

Everything that reads documents (parsers, the indexer, the web pages) goes through these
definitions, so a new section alias or field is added here once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

SCHEMA_VERSION = 2
# Older index versions whose tables are a subset of this one's: `kb index` upgrades them in
# place (new tables are created when the database is copied). Others need `kb index --rebuild`.
UPGRADABLE_SCHEMA_VERSIONS = (1,)

REQUIRED_FIELDS = ("title", "type", "department", "date")
LIST_FIELDS = ("authors", "participants", "tags")
SCALAR_FIELDS = ("id", "project", "phase", "status", "sensitivity", "url")
OPTIONAL_FIELDS = (*SCALAR_FIELDS, *LIST_FIELDS)
KNOWN_FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    heading: str
    aliases: tuple[str, ...] = ()


# Every section any type knows, with the headings people actually write for it.
SECTION_SPECS: dict[str, SectionSpec] = {
    spec.key: spec
    for spec in (
        SectionSpec("summary", "Summary", ("abstract", "overview", "tl;dr", "tldr")),
        SectionSpec("context", "Context", ("background", "situation")),
        SectionSpec(
            "what_happened",
            "What happened",
            ("driving event", "event", "incident", "description", "what went on"),
        ),
        SectionSpec("lesson", "Lesson", ("lesson learned", "lessons learned", "learning")),
        SectionSpec("recommendation", "Recommendation", ("recommendations", "advice")),
        SectionSpec("evidence", "Evidence", ("data", "references", "supporting evidence")),
        SectionSpec(
            "goals",
            "Goals and expected results",
            ("goals", "goals and expected outcomes", "objectives", "expected results"),
        ),
        SectionSpec("went_well", "What went well", ("went well", "successes", "what worked")),
        SectionSpec(
            "did_not_go_well",
            "What did not go well",
            ("what didn't go well", "what went wrong", "didn't go well", "challenges", "problems"),
        ),
        SectionSpec("surprises", "Surprises", ("unexpected", "what surprised us")),
        SectionSpec("actions", "Actions", ("action items", "next steps", "follow-ups")),
        SectionSpec("lessons", "Lessons", ("lessons learned", "key lessons", "takeaways")),
        SectionSpec("agenda", "Agenda", ("topics",)),
        SectionSpec("discussion", "Discussion", ("notes", "minutes")),
        SectionSpec("decisions", "Decisions", ("decisions made", "outcomes")),
        SectionSpec("risks", "Risks", ("risks and issues", "open risks", "concerns")),
    )
}


@dataclass(frozen=True)
class DocTypeSpec:
    name: str
    label: str
    sections: tuple[str, ...]
    people_field: str


DOC_TYPES: dict[str, DocTypeSpec] = {
    "lesson": DocTypeSpec(
        "lesson",
        "Lesson",
        ("context", "what_happened", "lesson", "recommendation", "evidence"),
        "authors",
    ),
    "retrospective": DocTypeSpec(
        "retrospective",
        "Retrospective",
        ("goals", "went_well", "did_not_go_well", "surprises", "actions", "lessons"),
        "participants",
    ),
    "meeting-notes": DocTypeSpec(
        "meeting-notes",
        "Meeting notes",
        ("agenda", "discussion", "decisions", "actions", "risks", "lessons"),
        "participants",
    ),
}

TYPE_ALIASES = {
    "lessons": "lesson",
    "lesson-learned": "lesson",
    "lessons-learned": "lesson",
    "retro": "retrospective",
    "post-mortem": "retrospective",
    "postmortem": "retrospective",
    "meeting": "meeting-notes",
    "meeting notes": "meeting-notes",
    "meeting_notes": "meeting-notes",
    "minutes": "meeting-notes",
}

# Sections whose text is advice to act on; kickoff packs and snippets put them first.
ACTIONABLE_SECTIONS = ("recommendation", "lesson", "lessons", "actions", "decisions")


def normalize_heading(text: str) -> str:
    text = re.sub(r"[*_`#:]+", " ", text).strip().lower()
    return re.sub(r"\s+", " ", text.replace("’", "'"))


def _build_alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in SECTION_SPECS.values():
        for name in (spec.key.replace("_", " "), spec.heading, *spec.aliases):
            index.setdefault(normalize_heading(name), spec.key)
    return index


_ALIASES = _build_alias_index()


def section_key_for_heading(heading: str) -> str | None:
    """The canonical section key for a heading someone wrote, or None if unknown."""
    return _ALIASES.get(normalize_heading(heading))


def normalize_type(value: str) -> str | None:
    key = str(value).strip().lower()
    key = TYPE_ALIASES.get(key, key)
    return key if key in DOC_TYPES else None


@dataclass
class Section:
    key: str
    heading: str
    text: str


@dataclass
class Action:
    text: str
    owner: str = ""
    due: str = ""
    done: bool = False


@dataclass
class Document:
    id: str
    title: str
    type: str
    department: str
    date: dt.date
    sections: list[Section]
    project: str = ""
    phase: str = ""
    status: str = ""
    sensitivity: str = ""
    url: str = ""
    authors: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    source_path: str = ""
    source_line: int = 0

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def body_text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)

    @property
    def people(self) -> list[str]:
        return self.authors or self.participants
