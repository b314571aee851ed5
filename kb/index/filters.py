"""What a lookup can be narrowed to (`Filters`), and its compilation into SQL over
`documents d` and `chunks c`, which only the index's repositories run.

Filtering before ranking, not after, is what keeps a filtered query from starving: the
retrievers only ever see chunks that pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass


class SearchParameterError(ValueError):
    """A search parameter is invalid; `parameter` names it for a 422 or a CLI message."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


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
    def active(self) -> bool:
        return any(getattr(self, f) for f in self.__dataclass_fields__)

    @property
    def on_chunks(self) -> bool:
        """True when a condition is on chunks (`c`), not only on their documents (`d`)."""
        return bool(self.sections)

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


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
    return " AND ".join(conditions), params
