"""Recurrence: the same lesson learned again, by any department, years apart.

Two lessons teach the same thing when the cosine of their lesson words (kb.index.lesson_pairs,
computed at index time) reaches THRESHOLD. A document's "learned before" are the earlier
lessons paired with it. `/recurring` groups lessons around the one paired with the most
others (each group: that lesson and those paired with it, each lesson in one group at
most), not by connected components: at THRESHOLD on the NASA index components chain
unrelated lessons into groups of 34, where every pair in a star was measured as one.
Only lessons the viewer may read are paired: an unreadable lesson is never shown, never
counted, and never joins two readable ones.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

import numpy as np

from kb.index.filters import Filters
from kb.index.lesson_pairs import LessonPairs
from kb.index.store import Store

# Best F1 on the development half of the labelled NASA pairs (benchmarks/eval_recurrence.py).
THRESHOLD = 0.2


@dataclass(frozen=True)
class RecurrenceSources:
    store: Store
    pairs: LessonPairs | None  # None: a generation written before pairs were scored
    readable: Filters = field(default_factory=Filters)  # the viewer's access rule


@dataclass
class Occurrence:
    """One time a lesson was learned."""

    id: str
    title: str
    department: str
    date: str
    type: str = "lesson"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RecurrenceGroup:
    """The lessons teaching the same thing, oldest first."""

    lessons: list[Occurrence]

    @property
    def times(self) -> int:
        return len(self.lessons)

    @property
    def departments(self) -> list[str]:
        return sorted({lesson.department for lesson in self.lessons})

    @property
    def first_date(self) -> str:
        return self.lessons[0].date

    @property
    def last_date(self) -> str:
        return self.lessons[-1].date

    def before(self, doc_id: str) -> list[Occurrence]:
        """The lessons learned before this one (an earlier date), newest first."""
        date = next(lesson.date for lesson in self.lessons if lesson.id == doc_id)
        return [lesson for lesson in reversed(self.lessons) if lesson.date < date]

    def to_dict(self) -> dict:
        return {
            "times": self.times,
            "departments": self.departments,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "lessons": [lesson.to_dict() for lesson in self.lessons],
        }


def recurrence_of(sources: RecurrenceSources, doc_id: str) -> RecurrenceGroup | None:
    """The document and every lesson paired with it, oldest first (the document alone when
    none is), or None when there is no such document or no pairs in this generation."""
    rowid = sources.store.documents.rowid(doc_id)
    if rowid is None or sources.pairs is None:
        return None
    first, second = _readable_pairs(sources)
    partners = np.concatenate([second[first == rowid], first[second == rowid]])
    return _group(sources.store, [rowid, *partners.tolist()])


def recurring_groups(sources: RecurrenceSources) -> list[RecurrenceGroup]:
    """Every group of two lessons or more: learned most often first, then by more
    departments, then over a longer span."""
    if sources.pairs is None:
        return []
    first, second = _readable_pairs(sources)
    groups = [_group(sources.store, members) for members in _stars(first, second)]
    groups.sort(key=lambda g: (-g.times, -len(g.departments), g.first_date, g.lessons[0].id))
    return groups


def _readable_pairs(sources: RecurrenceSources) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) rowids of the pairs at THRESHOLD whose lessons the viewer may read."""
    pairs = sources.pairs.above(THRESHOLD)
    keep = np.ones(len(pairs.first), dtype=bool)
    if sources.readable.active:
        hidden = np.array(sources.store.documents.rowids_failing(sources.readable), np.int64)
        keep = ~np.isin(pairs.first, hidden) & ~np.isin(pairs.second, hidden)
    return pairs.first[keep], pairs.second[keep]


def _stars(first: np.ndarray, second: np.ndarray) -> list[list[int]]:
    """Groups of a lesson and its partners not yet grouped, the lesson with the most
    partners first (then the lowest rowid), while one has a partner left."""
    partners: dict[int, set[int]] = defaultdict(set)
    for a, b in zip(first.tolist(), second.tolist(), strict=True):
        partners[a].add(b)
        partners[b].add(a)
    grouped: set[int] = set()
    groups = []
    for centre in sorted(partners, key=lambda r: (-len(partners[r]), r)):
        if centre in grouped:
            continue
        members = partners[centre] - grouped
        if members:
            grouped |= members | {centre}
            groups.append(sorted(members | {centre}))
    return groups


def _group(store: Store, rowids: list[int]) -> RecurrenceGroup:
    rows = store.documents.rows(rowids)
    lessons = [
        Occurrence(row["id"], row["title"], row["department"], row["date"], row["type"])
        for row in rows.values()
    ]
    return RecurrenceGroup(sorted(lessons, key=lambda lesson: (lesson.date, lesson.id)))
