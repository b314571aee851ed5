"""A kickoff pack at its boundaries: what was asked, and the pack the CLI, API and pages show.

Every class here converts to and from plain JSON, because a saved pack is stored as its JSON
(see storage.py) and must read back the same after restarts and index re-runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from kb.access import Viewer

DEFAULT_K = 12  # lessons in a pack
MAX_K = 30


@dataclass(frozen=True)
class KickoffRequest:
    brief: str
    department: str = ""  # the project's own department; lessons from others are marked
    phase: str = ""
    tags: tuple[str, ...] = ()
    k: int = DEFAULT_K
    title: str = ""  # defaults to the brief's first heading or line
    source_name: str = ""  # the uploaded file, if any
    # Who the pack is for: it holds only lessons they may read (the CLI reads everything).
    viewer: Viewer = field(default_factory=Viewer.system)


@dataclass
class MatchReason:
    """Why a lesson is in the pack: the brief sentence that found it, and where it matched."""

    brief_sentence: str = ""
    section: str = ""  # the lesson's section heading, e.g. "Recommendation"
    section_key: str = ""
    similarity: float = 0.0
    shared_terms: list[str] = field(default_factory=list)

    @property
    def line(self) -> str:
        parts = []
        if self.brief_sentence:
            where = f" ↔ their {self.section}" if self.section else ""
            parts.append(f"Your brief: “{self.brief_sentence}”{where}")
        if self.shared_terms:
            parts.append("shared terms: " + ", ".join(self.shared_terms))
        return "; ".join(parts) or "Matched the brief as a whole"


@dataclass
class PackLesson:
    id: str
    title: str
    type: str
    department: str
    date: str
    score: float
    advice: list[str] = field(default_factory=list)  # first points of its recommendation etc.
    advice_section: str = ""
    project: str = ""
    other_department: bool = False
    reason: MatchReason = field(default_factory=MatchReason)

    @classmethod
    def from_dict(cls, data: dict) -> PackLesson:
        values = _known(cls, data)
        values["reason"] = MatchReason(**_known(MatchReason, data.get("reason") or {}))
        return cls(**values)


@dataclass
class Theme:
    label: str
    terms: list[str] = field(default_factory=list)  # glossary terms first, then phrases
    lessons: list[PackLesson] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict) -> Theme:
        lessons = [PackLesson.from_dict(item) for item in data.get("lessons", [])]
        return cls(data.get("label", ""), list(data.get("terms", [])), lessons)


@dataclass
class BriefTopic:
    """One part of the brief (sentences about one subject) and the pack's lessons on it."""

    text: str  # the brief's sentences on it, shortened
    phrase: str  # its most distinctive phrase, as the brief writes it
    lessons: list[str] = field(default_factory=list)  # ids of the pack's lessons on it


@dataclass
class ChecklistItem:
    text: str
    doc_id: str
    doc_title: str
    department: str = ""
    section: str = ""


@dataclass
class GlossaryMatch:
    key: str
    label: str
    definition: str
    found_as: str
    acronym: str = ""
    status: str = ""


@dataclass
class JargonTerm:
    text: str
    kind: str  # "acronym", "name" or "term"
    hint: str = ""


@dataclass
class OpenAction:
    text: str
    doc_id: str
    doc_title: str
    department: str = ""
    owner: str = ""
    due: str = ""


@dataclass
class KickoffPack:
    title: str
    brief: str
    themes: list[Theme] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    glossary: list[GlossaryMatch] = field(default_factory=list)
    jargon: list[JargonTerm] = field(default_factory=list)
    actions: list[OpenAction] = field(default_factory=list)
    department: str = ""
    phase: str = ""
    tags: list[str] = field(default_factory=list)
    created_at: str = ""
    index: dict = field(default_factory=dict)  # generation, model and document count used
    topics: list[BriefTopic] = field(default_factory=list)
    id: str = ""  # set when saved
    author: str = ""  # who saved it, when signed in
    # Lessons of the saved pack left out for the person opening it (reading.py): they may
    # not read them, or they are no longer in the index. Never saved (it is 0 when built).
    hidden: int = 0

    @property
    def uncovered(self) -> list[BriefTopic]:
        """The parts of the brief no lesson in the index addresses closely."""
        return [topic for topic in self.topics if not topic.lessons]

    @property
    def hidden_note(self) -> str:
        """What the pages and the export say about hidden lessons, without naming them."""
        if not self.hidden:
            return ""
        many = self.hidden != 1
        return (
            f"{self.hidden} lesson{'s' if many else ''} of this pack {'are' if many else 'is'}"
            " hidden: you may not read "
            f"{'them' if many else 'it'}, or {'they are' if many else 'it is'} no longer indexed."
        )

    @property
    def lessons(self) -> list[PackLesson]:
        return [lesson for theme in self.themes for lesson in theme.lessons]

    @property
    def other_department_count(self) -> int:
        return sum(lesson.other_department for lesson in self.lessons)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> KickoffPack:
        values = _known(cls, data)
        values["themes"] = [Theme.from_dict(t) for t in data.get("themes", [])]
        for name, kind in (
            ("checklist", ChecklistItem),
            ("glossary", GlossaryMatch),
            ("jargon", JargonTerm),
            ("actions", OpenAction),
            ("topics", BriefTopic),
        ):
            values[name] = [kind(**_known(kind, item)) for item in data.get(name, [])]
        return cls(**values)


def _known(cls, data: dict) -> dict:
    """The keys of `data` that `cls` has as fields (saved packs may come from other versions)."""
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}
