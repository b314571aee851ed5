"""What a lookup can be narrowed to (`Filters`), and its compilation into SQL over
`documents d` and `chunks c`, which only the index's repositories run.

Filtering before ranking, not after, is what keeps a filtered query from starving: the
retrievers only ever see chunks that pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

from kb.access import Viewer
from kb.documents.lifecycle import ARCHIVED
from kb.problems import InputError


class SearchParameterError(InputError):
    """A search parameter is invalid; `parameter` names it for a 422 or a CLI message."""


@dataclass(frozen=True)
class Filters:
    departments: tuple[str, ...] = ()
    exclude_departments: tuple[str, ...] = ()  # "best matches from the other departments"
    types: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()  # section keys: "search only recommendations"
    years: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    # Leave out documents whose status is archived, unless `archived` is among the chosen
    # statuses: what searches do unless a person asks for archived lessons (SearchRequest).
    hide_archived: bool = False
    # Who reads, and the level of documents that declare none: not a filter a person chooses,
    # but one every retriever applies the same way (None reads everything).
    viewer: Viewer | None = None
    default_sensitivity: str = "internal"

    def __post_init__(self):
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise SearchParameterError(
                        name, f"expected YYYY-MM-DD, got {value!r}"
                    ) from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SearchParameterError(
                "date_from",
                f"date_from {self.date_from} is after date_to {self.date_to}: the range is empty",
            )

    @property
    def chosen(self) -> bool:
        """True when a person chose a filter (not only the access rule)."""
        skip = (*_ACCESS_FIELDS, "hide_archived")  # a default of searches, not a choice
        return any(getattr(self, f.name) for f in fields(self) if f.name not in skip)

    @property
    def restricts_access(self) -> bool:
        return self.viewer is not None and not self.viewer.reads_everything

    @property
    def hides_archived(self) -> bool:
        """True when archived documents do not pass: hidden, and not chosen by status."""
        return self.hide_archived and ARCHIVED not in self.statuses

    @property
    def active(self) -> bool:
        """True when some documents may not pass: a chosen filter, the access rule or the
        hiding of archived documents (see Documents.hiding_archived)."""
        return self.chosen or self.restricts_access or self.hides_archived

    @property
    def on_chunks(self) -> bool:
        """True when a condition is on chunks (`c`), not only on their documents (`d`)."""
        return bool(self.sections)

    def to_dict(self) -> dict:
        return {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in asdict(self).items()
            if k not in _ACCESS_FIELDS
        }


_ACCESS_FIELDS = ("viewer", "default_sensitivity")


_IN_COLUMNS = (
    ("departments", "d.department"),
    ("types", "d.type"),
    ("projects", "d.project"),
    ("statuses", "d.status"),
    ("sections", "c.section_key"),
    ("years", "substr(d.date, 1, 4)"),
)


def filter_sql(filters: Filters, skip: str = "") -> tuple[str, list]:
    """(SQL condition, params); `skip` leaves one filter out (for that facet's counts)."""
    conditions, params = ["1"], []
    for name, column in _IN_COLUMNS:
        values = getattr(filters, name)
        if values and name != skip:
            conditions.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if filters.exclude_departments:
        marks = ",".join("?" * len(filters.exclude_departments))
        conditions.append(f"d.department NOT IN ({marks})")
        params.extend(filters.exclude_departments)
    if filters.tags and skip != "tags":
        marks = ",".join("?" * len(filters.tags))
        conditions.append(
            f"EXISTS (SELECT 1 FROM doc_tags t WHERE t.doc_rowid = d.rowid AND t.tag IN ({marks}))"
        )
        params.extend(filters.tags)
    if filters.date_from:
        conditions.append("d.date >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        conditions.append("d.date <= ?")
        params.append(filters.date_to)
    if filters.hides_archived:
        conditions.append("COALESCE(d.status, '') <> ?")
        params.append(ARCHIVED)
    if filters.restricts_access:
        condition, access_params = access_sql(filters.viewer, filters.default_sensitivity)
        conditions.append(condition)
        params.extend(access_params)
    return " AND ".join(conditions), params


def access_sql(viewer: Viewer, default_sensitivity: str) -> tuple[str, list]:
    """(SQL condition, params): the documents `viewer` may read (kb.access.Viewer.can_read).
    A stored level that is not public or internal (restricted, or an old index's
    "confidential" or other word) is read as restricted."""
    level = "COALESCE(NULLIF(d.sensitivity, ''), ?)"
    if not viewer.signed_in:
        return f"{level} = 'public'", [default_sensitivity]
    readers = list(dict.fromkeys([*viewer.departments, *([viewer.name] if viewer.name else [])]))
    if not readers:
        return f"{level} IN ('public', 'internal')", [default_sensitivity]
    marks = ",".join("?" * len(readers))
    return (
        f"({level} IN ('public', 'internal') OR d.department IN ({marks}) OR EXISTS"
        f" (SELECT 1 FROM json_each(d.extra, '$.audience') a WHERE a.value IN ({marks})))",
        [default_sensitivity, *readers, *readers],
    )
