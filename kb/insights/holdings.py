"""The insights figures that do not come from usage events: follow-through of action items
(the action book), lessons by lifecycle state (the index), recurring lessons and shared
language (the glossary), each as the viewer may see it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from statistics import median

from kb.access import Viewer
from kb.actions import ActionBook, ActionItem
from kb.documents.lifecycle import DEFAULT_STATUS, STATUSES
from kb.glossary import Glossary
from kb.index.candidates import Access
from kb.index.filters import Filters
from kb.insights.model import FollowThrough, Period, RecurringLesson, SharedLanguage
from kb.insights.usage import bounds
from kb.knowledge_base import KnowledgeBase
from kb.state import StateDB

CLOSED = ("done", "dropped")
MAX_RECURRING = 25  # the "we knew this already" list: the most learned
MAX_CONTESTED = 20


def follow_through(book: ActionBook, viewer: Viewer, period: Period) -> list[FollowThrough]:
    """Action items by department and status now; the median days from an item's start to
    its closing change among those closed in the period; the oldest overdue."""
    items = book.items(viewer)
    today = book.today()
    closed = [item for item in items if item.status in CLOSED]
    history = book.rows.history([item.id for item in closed])
    first, last = bounds(period)
    days_to_close: dict[str, list[float]] = defaultdict(list)
    for item in closed:
        closing = history.get(item.id, [])[-1:]
        if closing and first <= closing[0].at <= last:
            days = date.fromisoformat(closing[0].at[:10]) - date.fromisoformat(item.since[:10])
            days_to_close[item.department].append(float(max(0, days.days)))
    by_department: dict[str, list[ActionItem]] = defaultdict(list)
    for item in items:
        by_department[item.department].append(item)
    return [
        _follow_through(department, found, today, days_to_close[department])
        for department, found in sorted(by_department.items())
    ]


def _follow_through(department, items, today: date, closing_days) -> FollowThrough:
    status = defaultdict(int)
    for item in items:
        status[item.status] += 1
    overdue = [item.overdue_days(today) for item in items if item.overdue_days(today) > 0]
    return FollowThrough(
        department,
        status["open"],
        status["in-progress"],
        len(overdue),
        status["done"],
        status["dropped"],
        median(closing_days) if closing_days else None,
        max(overdue, default=0),
    )


def readable_filters(kb: KnowledgeBase, viewer: Viewer) -> Filters:
    return Filters(viewer=viewer, default_sensitivity=kb.settings.default_sensitivity)


def lifecycle(kb: KnowledgeBase, viewer: Viewer) -> dict[str, int]:
    """{lifecycle state: readable documents in it}, every state listed, in cycle order."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, found in kb.store.documents.status_counts(readable_filters(kb, viewer)).items():
        key = status or DEFAULT_STATUS
        counts[key] = counts.get(key, 0) + found
    return counts


def recurring(kb: KnowledgeBase, viewer: Viewer) -> list[RecurringLesson]:
    """The lessons learned most often (readable ones only), each by its first occurrence."""
    return [
        RecurringLesson(
            group.lessons[0].title,
            group.lessons[0].id,
            group.times,
            group.departments,
            group.first_date,
            group.last_date,
        )
        for group in kb.recurring(viewer)[:MAX_RECURRING]
    ]


def _approved(glossary: Glossary, key: str) -> bool:
    """True when `key` (or the term it was merged into) is in the glossary, approved."""
    target = glossary.public.resolve(key)
    term = glossary.terms.get(target) if target else None
    return term is not None and term.status == "approved"


def shared_language(kb: KnowledgeBase, state: StateDB, viewer: Viewer) -> SharedLanguage:
    """The share of frequent candidate terms (above the miner's cut-off, used in readable
    documents) with an approved glossary entry, directly or merged into one (two small
    queries a term: a few hundred terms above the cut-off); and the terms departments use in
    different senses."""
    glossary = Glossary(kb.kb_dir, store_provider=lambda: kb.store, state=state)
    access = Access.of(readable_filters(kb, viewer))
    frequent = glossary.candidates.ranked_keys(above_cutoff=True, access=access)
    approved = sum(1 for key in frequent if _approved(glossary, key))
    contested = glossary.contested_page(1, MAX_CONTESTED, access).items
    return SharedLanguage(
        frequent_terms=len(frequent),
        approved=approved,
        coverage=round(approved / len(frequent), 4) if frequent else 0.0,
        contested=[
            {"term": c.display, "departments": [u.department for u in c.departments]}
            for c in contested
        ],
    )
