"""Facet counts over the documents a query matched, Datasette-style."""

from __future__ import annotations

from dataclasses import replace

from kb.index.documents import FACET_FILTERS
from kb.index.store import Store
from kb.search.request import FacetValue, Filters

MAX_VALUES = 12
# Departments are few and the search form lists them all with these same counts (one source
# for both), so their facet is not cut at MAX_VALUES.
MAX_DEPARTMENTS = 500


def without_facet_filters(filters: Filters) -> Filters:
    """The filters that narrow what a facet counts over: all but the facets' own. Archived
    documents chosen by their status stay counted, so that facet can show them."""
    cleared = {name: () for name in FACET_FILTERS.values()}
    return replace(filters, **cleared, hide_archived=filters.hides_archived)


def facet_counts(
    store: Store, doc_rowids: list[int], filters: Filters
) -> dict[str, list[FacetValue]]:
    """Counts per facet value among the matched documents, biggest first, Datasette-style.

    `doc_rowids` matched the query under every filter except the facet ones; each facet then
    applies the other facets' filters but not its own, so a selected department still shows
    the other departments (with their counts) to switch to or add.
    """
    if not doc_rowids:
        return {name: [] for name in FACET_FILTERS}
    limits = {name: MAX_VALUES for name in FACET_FILTERS} | {"department": MAX_DEPARTMENTS}
    counted = store.documents.facet_counts(doc_rowids, filters, limits)
    out = {}
    for name, filter_name in FACET_FILTERS.items():
        chosen = set(getattr(filters, filter_name))
        values = [FacetValue(str(v), n, str(v) in chosen) for v, n in counted[name] if v]
        out[name] = values + _selected_but_absent(values, chosen)
    return out


def _selected_but_absent(values: list[FacetValue], chosen: set[str]) -> list[FacetValue]:
    """A selected value with no matches still shows, so it can be cleared."""
    shown = {v.value for v in values}
    return [FacetValue(value, 0, True) for value in sorted(chosen - shown)]
