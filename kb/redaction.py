"""Blame-free reading: person names replaced by roles for readers outside a document's
department (KB_REDACT_NAMES_OUTSIDE_DEPARTMENT).

The names of a document are its `authors` and `participants`, its action owners and the
names spaCy's entity recognizer found in its title and text when it was indexed
(kb.index.people). Each is replaced, whole-word and case-sensitive, by its role ("the
author", "a participant", "the action owner", "a team member"), and so are its given name
and surname on their own ("Jenna agreed" after "Jenna Cole" in `authors`). Admins read
names: they manage the accounts and the read log, so hiding names from them protects no one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property

from kb.access import Viewer
from kb.documents.schema import Document, Section
from kb.index.people import PARTICLES, DocumentPeople
from kb.related.lessons import RelatedLesson
from kb.search.request import SearchHit

AUTHOR, AUTHORS, PARTICIPANT = "the author", "an author", "a participant"
OWNER, MENTIONED = "the action owner", "a team member"
_SENTENCE_END = re.compile(r"(?:^|[.!?:\n]\W*)$")


@dataclass(frozen=True)
class Redactor:
    """Whose names `viewer` may not read: every document outside their departments, when
    the setting is on and they are not an admin."""

    enabled: bool
    viewer: Viewer

    @classmethod
    def of(cls, redact_names: bool, viewer: Viewer | None) -> Redactor:
        viewer = viewer or Viewer.system()
        return cls(redact_names and not viewer.admin, viewer)

    def hides(self, department: str) -> bool:
        return self.enabled and department not in self.viewer.departments


class NameMask:
    """The names of one document and the roles that replace them."""

    def __init__(self, people: DocumentPeople):
        self.people = people
        self.complete = people.text_names is not None  # were the text's names looked for?
        self.roles = _roles(people)
        names = sorted(self.roles, key=len, reverse=True)  # "Jenna Cole" before "Jenna"
        alternatives = "|".join(re.escape(n) for n in names)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if names else None

    def text(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda m: _role_at(m, self.roles[m.group(0)]), text)

    def texts(self, texts: Iterable[str]) -> list[str]:
        return [self.text(t) for t in texts]

    def terms(self, terms: list[str]) -> list[str]:
        """Lower-cased terms (shared terms, a pack's reasons) without those naming someone."""
        return [t for t in terms if not self._lower_words & set(t.casefold().split())]

    @cached_property
    def _lower_words(self) -> set[str]:
        return {word.casefold() for name in self.roles for word in name.split()} - PARTICLES

    def document(self, doc: Document) -> Document:
        authors = [AUTHOR] if len(doc.authors) == 1 else [AUTHORS] * len(doc.authors)
        return replace(
            doc,
            title=self.text(doc.title),
            authors=authors,
            participants=[PARTICIPANT] * len(doc.participants),
            sections=[
                Section(s.key, self.text(s.heading), self.text(s.text)) for s in doc.sections
            ],
            extra={k: self.text(v) if isinstance(v, str) else v for k, v in doc.extra.items()},
        )

    def actions(self, actions: list[dict]) -> list[dict]:
        return [
            {**a, "text": self.text(a["text"]), "owner": OWNER if a["owner"] else ""}
            for a in actions
        ]


def _roles(people: DocumentPeople) -> dict[str, str]:
    """{name or name part: its role}; a person's fields win over the recognizer's finds."""
    author = AUTHOR if len(people.authors) == 1 else AUTHORS
    ranked = [
        (people.authors, author),
        (people.owners, OWNER),
        (people.participants, PARTICIPANT),
        (people.text_names or (), MENTIONED),
    ]
    roles: dict[str, str] = {}
    for names, role in ranked:
        for name in names:
            roles.setdefault(name.strip(), role)
    for names, role in ranked:
        for name in names:
            for part in _parts(name):
                roles.setdefault(part, role)
    roles.pop("", None)
    return roles


def _parts(name: str) -> list[str]:
    """The given names and surnames of a full name: words of two letters or more, not
    particles nor initials."""
    words = name.split()
    if len(words) < 2:
        return []
    return [w for w in words if len(w.rstrip(".")) > 1 and w.lower() not in PARTICLES]


def _role_at(match: re.Match, role: str) -> str:
    """The role, capitalized where it opens a sentence."""
    before = match.string[max(0, match.start() - 3) : match.start()]
    opens = match.start() == 0 or bool(_SENTENCE_END.search(before))
    return role[0].upper() + role[1:] if opens else role


People = Callable[[list[str]], dict[str, DocumentPeople]]


def redact_hits(hits: list[SearchHit], redactor: Redactor, people: People) -> list[SearchHit]:
    """Hits with their titles and snippets masked where `redactor` hides names."""
    masks = _masks([h.id for h in hits if redactor.hides(h.department)], people)
    return [_masked_hit(h, masks[h.id]) if h.id in masks else h for h in hits]


def _masked_hit(hit: SearchHit, mask: NameMask) -> SearchHit:
    return replace(hit, title=mask.text(hit.title), snippet=mask.text(hit.snippet))


def redact_related(
    lessons: list[RelatedLesson], this: NameMask | None, redactor: Redactor, people: People
) -> list[RelatedLesson]:
    """Related lessons with each side's passage masked by its own document's names (this
    one's by ``this``, None when it is shown with names)."""
    masks = _masks([r.id for r in lessons if redactor.hides(r.department)], people)
    found = []
    for lesson in lessons:
        mask = masks.get(lesson.id)
        if this is not None:
            passage, terms = _passage(lesson.this_passage, this), this.terms(lesson.shared_terms)
            lesson = replace(lesson, this_passage=passage, shared_terms=terms)
        if mask is not None:
            title, passage = mask.text(lesson.title), _passage(lesson.their_passage, mask)
            terms = mask.terms(lesson.shared_terms)
            lesson = replace(lesson, title=title, their_passage=passage, shared_terms=terms)
        found.append(lesson)
    return found


def _passage(passage, mask: NameMask):
    return replace(passage, text=mask.text(passage.text))


def redact_pack(pack, redactor: Redactor, people: People):
    """A copy of ``pack`` (a kb.kickoff KickoffPack, which reads through the KnowledgeBase
    that calls this: not imported here) as ``redactor``'s viewer may see it: its lessons' titles, advice,
    checklist and open actions masked where they come from documents outside their
    departments."""
    departments = {lesson.id: lesson.department for lesson in pack.lessons}
    departments.update({item.doc_id: item.department for item in pack.checklist})
    departments.update({item.doc_id: item.department for item in pack.actions})
    masks = _masks([i for i, d in departments.items() if redactor.hides(d)], people)
    if not masks:
        return pack
    copy = type(pack).from_dict(pack.to_dict())
    for lesson in copy.lessons:
        if lesson.id in masks:
            mask = masks[lesson.id]
            lesson.title, lesson.advice = mask.text(lesson.title), mask.texts(lesson.advice)
            lesson.reason.shared_terms = mask.terms(lesson.reason.shared_terms)
    for item in [*copy.checklist, *copy.actions]:
        if item.doc_id in masks:
            item.text, item.doc_title = masks[item.doc_id].texts([item.text, item.doc_title])
    for action in copy.actions:
        action.owner = OWNER if action.doc_id in masks and action.owner else action.owner
    return copy


def redact_action_items(items: list[dict], redactor: Redactor, people: People) -> list[dict]:
    """Followed-up action items (kb.actions, as dicts) masked where their document's names
    are hidden: text, lesson title and notes by its names, the owner by a role and the
    accounts that changed them by "a team member"."""
    masks = _masks([i["doc_id"] for i in items if redactor.hides(i["department"])], people)
    shown = []
    for item in items:
        mask = masks.get(item["doc_id"])
        if mask is not None:
            history = [
                {**change, "user": MENTIONED, "note": mask.text(change["note"])}
                for change in item.get("history", [])
            ]
            item = {**item, "text": mask.text(item["text"]), "history": history,
                    "doc_title": mask.text(item["doc_title"]),
                    "owner": OWNER if item["owner"] else ""}  # fmt: skip
        shown.append(item)
    return shown


def redact_groups(groups: list, redactor: Redactor, people: People) -> list:
    """Recurrence groups (kb.related.recurrence) with the titles of lessons from documents
    outside the viewer's departments masked."""
    hidden = [o.id for g in groups for o in g.lessons if redactor.hides(o.department)]
    masks = _masks(hidden, people)
    if not masks:
        return groups
    return [
        replace(g, lessons=[
            replace(o, title=masks[o.id].text(o.title)) if o.id in masks else o
            for o in g.lessons
        ])
        for g in groups
    ]  # fmt: skip


def _masks(doc_ids: list[str], people: People) -> dict[str, NameMask]:
    if not doc_ids:
        return {}
    return {doc_id: NameMask(found) for doc_id, found in people(doc_ids).items()}
