"""What /actions and /api/actions show: the filters a person chose and the listing, sorted
oldest overdue first, with counts by department."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query

from kb.access import Viewer
from kb.actions import STATUSES, ActionBook, ActionItem, may_follow_up
from kb.actions.model import same_person
from kb.glossary.model import User
from web.params import invalid_parameter

PAGE_SIZE = 50
STATUS_CHOICES = ("open", "all", *STATUSES[1:])  # "open": open and in progress
MAX_DEPARTMENT_CHARS = 200


@dataclass(frozen=True)
class ActionQuery:
    department: str = ""
    status: str = "open"
    overdue: bool = False
    mine: bool = False
    page: int = 1


def action_query(
    department: Annotated[str, Query(max_length=MAX_DEPARTMENT_CHARS)] = "",
    status: Annotated[
        str, Query(description="open (open or in progress), all, or one status")
    ] = "open",
    overdue: bool = False,
    mine: bool = False,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> ActionQuery:
    if status not in STATUS_CHOICES:
        raise invalid_parameter("status", f"must be one of {', '.join(STATUS_CHOICES)}", status)
    return ActionQuery(department.strip(), status, overdue, mine, page)


def wanted(item: ActionItem, query: ActionQuery, user: User | None, today) -> bool:
    if query.status == "open" and not item.is_open:
        return False
    if query.status not in ("open", "all") and item.status != query.status:
        return False
    if query.overdue and not item.overdue_days(today):
        return False
    return not query.mine or (user is not None and same_person(item.owner, user.name))


def order_key(item: ActionItem, today) -> tuple:
    """Oldest overdue first; then open ones by due date (none last); then the rest."""
    return (-item.overdue_days(today), not item.is_open, item.due or "9999", item.since)


def department_counts(items: list[ActionItem], today) -> list[dict]:
    counts: dict[str, Counter] = {}
    for item in items:
        tally = counts.setdefault(item.department, Counter())
        tally[item.status] += 1
        tally["overdue"] += bool(item.overdue_days(today))
    return [
        {"department": name, "overdue": c["overdue"], **{s: c[s] for s in STATUSES}}
        for name, c in sorted(counts.items(), key=lambda kv: (-kv[1]["overdue"], kv[0]))
    ]


def actions_overview(
    book: ActionBook, viewer: Viewer, user: User | None, query: ActionQuery
) -> dict:
    today = book.today()
    every = book.items(viewer, query.department)
    listed = sorted(
        (item for item in every if wanted(item, query, user, today)),
        key=lambda item: order_key(item, today),
    )
    start = (query.page - 1) * PAGE_SIZE
    shown = listed[start : start + PAGE_SIZE]
    return {
        "today": today.isoformat(),
        "departments": department_counts(every, today),
        "total": len(listed),
        "page": query.page,
        "pages": max(1, -(-len(listed) // PAGE_SIZE)),
        "items": book.kb.redact_actions(
            [{**item.to_dict(today), "may_change": may_follow_up(user, item)} for item in shown],
            viewer,
        ),
    }
