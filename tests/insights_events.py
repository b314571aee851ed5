"""A known year of usage (2025) over the example corpus, for the insights tests: accounts in
four departments, views, clicks, pack inclusions, searches and contributions written as
explicit rows, monthly summaries of older events, action status changes and a glossary.

Every number the tests expect follows from the rows below by hand (see tests/kb/insights).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from indexer import run_index
from kb.access import Viewer
from kb.actions import ActionBook, ActionUpdate
from kb.glossary import Glossary, TermFields
from kb.insights.model import Period
from kb.settings import Settings
from kb.state import StateDB
from kb.state.tables import usage_events, usage_summaries
from tests.conftest import EXAMPLES
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD, candidate, set_candidates

PERIOD = Period("2025-01-01", "2025-12-31")
TODAY = datetime(2026, 1, 1, 12, tzinfo=UTC)  # the action book's clock

OPS_HARBOR = "operations-2025-harbor-sla-reporting-retrospective"  # 2025-02-14, public
ENG_WORKSHOP = "engineering-2025-northstar-metric-definitions-workshop"  # 2025-03-11, public
ENG_RUNBOOKS = "engineering-2025-runbooks-nobody-reads"  # 2025-07-08, public
FIN_ARR = "finance-2025-northstar-arr-active-customer-definitions"  # 2025-04-22, public
HR_EXIT = "hr-2025-exit-interviews-knowledge-loss"  # 2025-06-04, restricted
CS_HOLIDAY = "customer-support-2025-holiday-backlog-retrospective"  # 2025-01-21, public
CS_RESOLVED = "customer-support-2025-ticket-resolved-definition"  # 2025-05-06, public
DEPARTMENT_OF = {
    OPS_HARBOR: "Operations",
    ENG_WORKSHOP: "Engineering",
    ENG_RUNBOOKS: "Engineering",
    FIN_ARR: "Finance",
    HR_EXIT: "HR",
    CS_HOLIDAY: "Customer Support",
    CS_RESOLVED: "Customer Support",
}

# accounts: Engineering and Operations have MIN_GROUP (5), Finance 2 and Legal 1 (small)
ACCOUNTS = {
    **{f"eng{i}": ("reader", ("Engineering",)) for i in range(1, 6)},
    **{f"ops{i}": ("reader", ("Operations",)) for i in range(1, 6)},
    "fin1": ("reader", ("Finance",)),
    "fin2": ("contributor", ("Finance",)),
    "lea": ("reader", ("Legal",)),
    "sal": ("reader", ("Sales",)),
    "ed": ("editor", ()),
}

# (day, kind, reader's department, document, how many) of reading and applying
USE = [
    ("2024-12-20", "view", "Engineering", OPS_HARBOR, 9),  # before the period
    ("2025-02-20", "related_click", "Engineering", CS_HOLIDAY, 1),
    ("2025-03-01", "view", "Engineering", OPS_HARBOR, 6),
    ("2025-03-20", "view", "Engineering", ENG_WORKSHOP, 4),  # its own department's
    ("2025-04-05", "related_click", "Operations", ENG_WORKSHOP, 3),
    ("2025-05-10", "other_departments_click", "Operations", FIN_ARR, 2),
    ("2025-05-16", "view", "Sales", CS_RESOLVED, 1),
    ("2025-06-01", "view", "", ENG_WORKSHOP, 7),  # anonymous visitors: in no department
    ("2025-07-01", "view", "Legal", HR_EXIT, 1),
    ("2025-08-01", "pack_include", "Finance", OPS_HARBOR, 5),
    ("2025-08-15", "view", "Operations", OPS_HARBOR, 10),
    ("2025-11-03", "view", "Engineering", OPS_HARBOR, 2),
    ("2026-01-02", "view", "Sales", ENG_RUNBOOKS, 3),  # after the period
]
# (day, department, query as typed, results, how many); the clicks below open results
SEARCHES = [
    ("2025-09-01", "Engineering", "vendor escrow", 0, 5),
    ("2025-09-02", "Engineering", "runbook ownership", 0, 2),
    ("2025-09-03", "Engineering", "runbook ownership", 1, 1),
    ("2025-09-04", "Engineering", "runbook ownership", 3, 1),
    ("2025-09-05", "Engineering", "cutover", 12, 10),
    ("2025-09-06", "Engineering", "kubernetes quota", 0, 2),
    ("2025-09-07", "Operations", "night shift handover", 1, 3),
    ("2025-09-08", "Operations", " Night Shift Handover", 1, 1),
    ("2025-09-11", "Operations", "shift roster", 1, 2),  # median (1 + 3) / 2: a gap
    ("2025-09-12", "Operations", "shift roster", 3, 2),
    ("2025-09-13", "Operations", "badge access", 0, 2),  # median (0 + 40) / 2: not one
    ("2025-09-14", "Operations", "badge access", 40, 2),
    ("2025-09-09", "Finance", "accrual reversal", 0, 6),
    ("2025-09-10", "", "pricing", 0, 3),
]
# (day, department, query, document opened from its results)
RESULT_CLICKS = [("2025-09-10", "Engineering", "runbook ownership", ENG_RUNBOOKS)]
# (when, actor's department, lesson's department, detail): one event per state change
CONTRIBUTIONS = [
    ("2025-02-03T09:00:00Z", "Engineering", "Engineering",
     {"contribution": "c1", "state": "published", "positive": True, "review_hours": 10}),
    ("2025-02-20T09:00:00Z", "Engineering", "Engineering",
     {"contribution": "c2", "state": "published", "positive": False, "review_hours": 30}),
    ("2025-04-29T09:00:00Z", "Engineering", "Engineering",
     {"contribution": "c3", "state": "submitted"}),
    ("2025-05-01T21:00:00Z", "Operations", "Engineering",  # an Operations editor, 60 h later
     {"contribution": "c3", "state": "published", "positive": True}),
    ("2025-07-07T09:00:00Z", "Operations", "Operations",
     {"contribution": "c4", "state": "published", "review_hours": 4}),
    ("2025-07-08T09:00:00Z", "Operations", "Operations", "not json"),
]  # fmt: skip
# (month, kind, reader's department, author's department, events) summarized past retention
SUMMARIES = [
    ("2025-01", "view", "Sales", "Engineering", 20),
    ("2024-11", "view", "Sales", "Engineering", 50),  # before the period
]
# (document, its action's first words, new status, when) for Legal's actions
ACTION_CHANGES = [
    ("legal-2025-redline-turnaround-retro", "Make the CRM", "in-progress", "2025-09-02"),
    ("legal-2025-redline-turnaround-retro", "Agree with Sales", "done", "2025-10-01"),
    ("legal-2022-beacon-contract-register-migration-retro", "Replace the free", "dropped",
     "2025-03-31"),
]  # fmt: skip
# candidates above the cut-off; "change freeze" is approved, "cab" a draft, "cutover" none
FREEZE = "finance-2024-monthly-close-freeze-billing-systems"
KESTREL = "operations-2021-kestrel-rack-delivery-delays"
CANDIDATES = [
    candidate("change freeze", 1, [(FREEZE, "Monthly freeze.")], {"Finance": 2}),
    candidate("cab", 2, [(FREEZE, "The CAB enforces it.")], {"Operations": 3}, display="CAB"),
    candidate("cutover", 3, [(KESTREL, "Cutover slipped.")], {"Operations": 3}),
    candidate("rack", 4, [(KESTREL, "The rack.")], {"Operations": 1}, accepted=False),
]


def build_insights_index(base: Path) -> Settings:
    """The example corpus indexed with the fake embedder, with the candidates above."""
    settings = Settings(kb_dir=base / "kb", embedder="fake", progress=False, glossary_mining=False)
    run = run_index([EXAMPLES / "corpus"], settings)
    assert not run.errors, run.errors
    set_candidates(settings, CANDIDATES)
    return settings


def seed(state: StateDB, book: ActionBook, glossary: Glossary) -> None:
    """Accounts, the year of events and summaries, the action changes and the glossary."""
    glossary.auth.hasher = FAST_HASHER
    for name, (role, departments) in ACCOUNTS.items():
        glossary.auth.create_user(name, PASSWORD, role, departments)
    with state.current_engine().begin() as conn:
        conn.execute(insert(usage_events), event_rows())
        conn.execute(insert(usage_summaries), [summary_row(*row) for row in SUMMARIES])
    items = book.items(Viewer.system())
    for doc_id, words, status, day in ACTION_CHANGES:
        item = next(i for i in items if i.doc_id == doc_id and i.text.startswith(words))
        book.rows.add_update(ActionUpdate(item.id, status, "", "ed", f"{day}T10:00:00Z"))
    ed = glossary.auth.user("ed")
    glossary.editor.accept(ed, "change freeze", 0, TermFields("Change freeze", status="approved"))
    glossary.editor.accept(ed, "cab", 0, TermFields("CAB"))


def event_rows() -> list[dict]:
    rows = []
    for day, kind, department, doc_id, times in USE:
        rows += [_use(day, i, kind, department, doc_id) for i in range(times)]
    for day, department, query, results, times in SEARCHES:
        rows += [
            {**_row(day, i, "search", department), "query": query, "results": results}
            for i in range(times)
        ]
    for day, department, query, doc_id in RESULT_CLICKS:
        rows.append({**_use(day, 30, "view", department, doc_id), "query": query})
    for at, department, doc_department, detail in CONTRIBUTIONS:
        text = detail if isinstance(detail, str) else json.dumps(detail)
        row = {**_row(at[:10], 0, "contribution", department), "at": at}
        rows.append({**row, "doc_department": doc_department, "detail": text})
    return rows


def _row(day: str, i: int, kind: str, department: str) -> dict:
    empty = {"user_name": None, "doc_id": None, "doc_department": None, "query": None, "detail": ""}
    at = f"{day}T09:{i:02d}:00Z"
    return {**empty, "at": at, "kind": kind, "department": department, "results": None}


def _use(day: str, i: int, kind: str, department: str, doc_id: str) -> dict:
    row = _row(day, i, kind, department)
    return {**row, "doc_id": doc_id, "doc_department": DEPARTMENT_OF[doc_id]}


def summary_row(month, kind, department, doc_department, events) -> dict:
    return {
        "month": month,
        "kind": kind,
        "department": department,
        "doc_department": doc_department,
        "events": events,
    }
