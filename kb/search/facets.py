"""Facet counts over the documents a query matched, Datasette-style."""

from __future__ import annotations

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


def facet_counts(store: Store, doc_rowids: list[int], filters: Filters) -> dict[str, list[FacetValue]]:
    """Counts per facet value among the matched documents, biggest first; selected values marked."""
    if not doc_rowids:
        return {name: [] for name in FACETS}
    store.conn.execute("CREATE TEMP TABLE IF NOT EXISTS matched (rowid INTEGER PRIMARY KEY)")
    store.conn.execute("DELETE FROM temp.matched")
    store.conn.executemany("INSERT INTO temp.matched VALUES (?)", [(r,) for r in doc_rowids])
    out = {}
    for name, (select, filter_name) in FACETS.items():
        rows = store.conn.execute(
            f"{select} WHERE d.rowid IN (SELECT rowid FROM temp.matched)"
            f" GROUP BY value ORDER BY COUNT(*) DESC, value LIMIT {MAX_VALUES}"
        ).fetchall()
        chosen = set(getattr(filters, filter_name))
        out[name] = [FacetValue(str(r[0]), r[1], str(r[0]) in chosen) for r in rows if r[0]]
    return out
