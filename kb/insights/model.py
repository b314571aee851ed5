"""What the insights page shows (issue #24): one dataclass per figure, each `to_dict()`-able
for the JSON twin and `kb insights --json`, and each row a plain record for CSV export.

Computed by kb/insights/figures.py from the state database's usage events
(kb/state/tables.py usage_events), the index and the action book; rendered by the web's
/insights page. Every figure respects the viewer's access: titles only of readable
documents, and a department with fewer than MIN_GROUP people shows aggregates only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

MIN_GROUP = 5  # fewer people than this in a department: no per-person or per-title detail
EVENT_KINDS = (
    "search",
    "view",
    "related_click",
    "other_departments_click",
    "pack_include",
    "contribution",
    "action_change",
)


@dataclass(frozen=True)
class Period:
    since: str  # YYYY-MM-DD, inclusive
    until: str  # YYYY-MM-DD, inclusive


@dataclass
class FlowCell:
    reader: str  # the department reading or applying
    author: str  # the department whose lessons they are
    views: int = 0
    related_clicks: int = 0
    pack_includes: int = 0

    @property
    def total(self) -> int:
        return self.views + self.related_clicks + self.pack_includes


@dataclass
class KnowledgeFlow:
    departments: list[str]
    cells: list[FlowCell]  # one per (reader, author) with any use
    # reader -> share (0..1) of its reading and applying that is of other departments' lessons
    share_from_others: dict[str, float]
    # quarter ("2026-Q1") -> reader -> that share in that quarter
    share_by_quarter: dict[str, dict[str, float]]


@dataclass
class TransferTime:
    department: str  # the publishing department
    lessons: int  # lessons published in the period
    reached: int  # of those, opened or used by another department
    median_days: float | None  # to the first use by another department, among those reached
    days: list[float] = field(default_factory=list)  # each reached lesson's days (distribution)


@dataclass
class FollowThrough:
    department: str
    open: int
    in_progress: int
    overdue: int
    done: int
    dropped: int
    median_days_to_close: float | None
    oldest_overdue_days: int


@dataclass
class RecurringLesson:
    title: str  # of the readable lesson that stands for the group
    doc_id: str
    times: int
    departments: list[str]
    first_date: str
    last_date: str


@dataclass
class SearchGap:
    query: str
    department: str  # of the people asking ("" anonymous)
    searches: int
    median_results: float
    clicked: int  # searches followed by opening a result
    contribute_url: str  # "write a lesson" pre-filled with the query


@dataclass
class ContributionHealth:
    department: str
    quarter: str
    contributions: int
    positive_share: float | None  # share of "what went well" lessons among them
    median_review_hours: float | None


@dataclass
class SharedLanguage:
    frequent_terms: int
    approved: int
    coverage: float  # approved / frequent
    contested: list[dict]  # {term, departments}


@dataclass
class Insights:
    period: Period
    flow: KnowledgeFlow
    transfer: list[TransferTime]
    follow_through: list[FollowThrough]
    lifecycle: dict[str, int]  # lessons by lifecycle state
    recurring: list[RecurringLesson]
    search_gaps: list[SearchGap]
    contributions: list[ContributionHealth]
    language: SharedLanguage
    events: int  # events in the period that these figures read
    seconds: float = 0.0  # time to compute
    # departments with fewer than MIN_GROUP accounts: their queries are counted, not listed
    small_departments: list[str] = field(default_factory=list)
    # department -> search gaps it has that are not listed (it is smaller than MIN_GROUP)
    gaps_withheld: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)
