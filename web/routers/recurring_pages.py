"""Lessons learned more than once: `GET /recurring` (with its `?format=json` twin) and
`GET /api/recurring`, paged; and the "Learned before" section of a document page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Query

from kb.access import Viewer
from kb.knowledge_base import KnowledgeBase
from kb.related.recurrence import Occurrence, RecurrenceGroup
from web.deps import KBDep
from web.params import PageNumber
from web.rendering import Page, page_route
from web.search_pager import PageLink, page_url
from web.security import ViewerDep

router = APIRouter()

PER_PAGE = 20
PerPage = Annotated[int, Query(ge=1, le=100, description="Lessons (groups) per page.")]


@dataclass
class LearnedBefore:
    """A document page's "Learned before": the earlier lessons teaching the same thing
    (newest first), and how often the lesson was learned in all, this time included."""

    available: bool  # False: the index was built before lessons were paired
    earlier: list[Occurrence] = field(default_factory=list)
    later: list[Occurrence] = field(default_factory=list)
    times: int = 1
    departments: int = 1

    @classmethod
    def of(cls, group: RecurrenceGroup | None, doc_id: str) -> LearnedBefore:
        if group is None:
            return cls(available=False)
        earlier = group.before(doc_id)
        later = [g for g in group.lessons if g.id != doc_id and g not in earlier]
        return cls(True, earlier, later, group.times, len(group.departments))

    def to_dict(self) -> dict:
        return {
            "learned_before": [lesson.to_dict() for lesson in self.earlier],
            "learned_since": [lesson.to_dict() for lesson in self.later],
            "times_learned": self.times,
        }


def learned_before(kb: KnowledgeBase, doc_id: str, viewer: Viewer) -> LearnedBefore:
    return LearnedBefore.of(kb.recurrence(doc_id, viewer), doc_id)


@dataclass
class RecurringPage:
    groups: list[RecurrenceGroup]
    total: int
    page: int
    per_page: int
    available: bool

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def page_links(self) -> list[PageLink]:
        """← Previous, the page numbers, Next →; nothing for a single page."""
        if self.pages <= 1:
            return []
        items = [] if self.per_page == PER_PAGE else [("per_page", str(self.per_page))]

        def link(label: str, number: int, rel: str = "") -> PageLink:
            href = page_url(items, number, "/recurring")
            return PageLink(label, href, current=number == self.page and not rel, rel=rel)

        links = [link("← Previous", self.page - 1, "prev")] if self.page > 1 else []
        links += [link(str(n), n) for n in range(1, self.pages + 1)]
        if self.page < self.pages:
            links.append(link("Next →", self.page + 1, "next"))
        return links

    def to_dict(self) -> dict:
        return {
            "items": [group.to_dict() for group in self.groups],
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "per_page": self.per_page,
        }


def recurring_page(kb: KnowledgeBase, viewer: Viewer, page: int, per_page: int) -> RecurringPage:
    groups = kb.recurring(viewer)
    start = (page - 1) * per_page
    available = kb.generation.lesson_pairs is not None
    return RecurringPage(groups[start : start + per_page], len(groups), page, per_page, available)


@page_route(router, "/recurring", tags=["pages"], summary="Recurring lessons")
def recurring(
    kb: KBDep, viewer: ViewerDep, page: PageNumber = 1, per_page: PerPage = PER_PAGE
) -> Page:
    """Lessons learned more than once, from any department: learned most often first, then
    by more departments, then over a longer span; each with its first and last date."""
    found = recurring_page(kb, viewer, page, per_page)
    return Page("recurring.html", found.to_dict(), lambda: {"found": found, "page": found})


@router.get("/api/recurring", tags=["api"], summary="Recurring lessons")
def api_recurring(
    kb: KBDep, viewer: ViewerDep, page: PageNumber = 1, per_page: PerPage = PER_PAGE
) -> dict:
    """One page: `items` (each: `times`, `departments`, `first_date`, `last_date`, `lessons`),
    with `total`, `page`, `pages` and `per_page`."""
    return recurring_page(kb, viewer, page, per_page).to_dict()
