"""Filters as SQL over `documents d` and `chunks c`, applied inside every retriever.

Filtering before ranking, not after, is what keeps a filtered query from starving: the
retrievers only ever see chunks that pass.
"""

from __future__ import annotations

from kb.search.request import Filters

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
