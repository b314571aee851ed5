"""Facet counts over the documents a query matched, Datasette-style."""

from __future__ import annotations

from dataclasses import replace

from kb.search.filters import filter_sql
from kb.search.request import FacetValue, Filters
from kb.store import Store

FACETS = {
    "department": ("SELECT d.department AS value, COUNT(*) FROM documents d", "departments"),
    "type": ("SELECT d.type AS value, COUNT(*) FROM documents d", "types"),
    "year": ("SELECT substr(d.date, 1, 4) AS value, COUNT(*) FROM documents d", "years"),
    "tags": (
        "SELECT t.tag AS value, COUNT(DISTINCT d.rowid) FROM documents d"
        " JOIN doc_tags t ON t.doc_rowid = d.rowid",
        "tags",
    ),
}
MAX_VALUES = 12


FACET_FILTERS = ("departments", "types", "years", "tags")


def without_facet_filters(filters: Filters) -> Filters:
    """The filters that narrow what a facet counts over: all but the facets' own."""
    return replace(filters, **{name: () for name in FACET_FILTERS})


def facet_counts(
    store: Store, doc_rowids: list[int], filters: Filters
) -> dict[str, list[FacetValue]]:
    """Counts per facet value among the matched documents, biggest first, Datasette-style.

    `doc_rowids` matched the query under every filter except the facet ones; each facet then
    applies the other facets' filters but not its own, so a selected department still shows
    the other departments (with their counts) to switch to or add.
    """
    if not doc_rowids:
        return {name: [] for name in FACETS}
    store.conn.execute("CREATE TEMP TABLE IF NOT EXISTS matched (rowid INTEGER PRIMARY KEY)")
    store.conn.execute("DELETE FROM temp.matched")
    store.conn.executemany("INSERT INTO temp.matched VALUES (?)", [(r,) for r in doc_rowids])
    facet_only = Filters(**{name: getattr(filters, name) for name in FACET_FILTERS})
    out = {}
    for name, (select, filter_name) in FACETS.items():
        where, params = filter_sql(facet_only, skip=filter_name)
        rows = store.conn.execute(
            f"{select} WHERE d.rowid IN (SELECT rowid FROM temp.matched) AND {where}"
            f" GROUP BY value ORDER BY COUNT(*) DESC, value LIMIT {MAX_VALUES}",
            params,
        ).fetchall()
        chosen = set(getattr(filters, filter_name))
        values = [FacetValue(str(r[0]), r[1], str(r[0]) in chosen) for r in rows if r[0]]
        out[name] = values + _selected_but_absent(values, chosen)
    return out


def _selected_but_absent(values: list[FacetValue], chosen: set[str]) -> list[FacetValue]:
    """A selected value with no matches still shows, so it can be cleared."""
    shown = {v.value for v in values}
    return [FacetValue(value, 0, True) for value in sorted(chosen - shown)]
