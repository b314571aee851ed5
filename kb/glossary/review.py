"""The review queue: the live generation's candidates with their editorial decisions."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from kb.glossary.candidates import CandidateSource
from kb.glossary.model import PENDING, QUEUE_STATUSES, QueueFilters, QueueItem, QueuePage
from kb.index.candidates import Access

if TYPE_CHECKING:
    from kb.glossary.store import TermStore

MAX_PER_PAGE = 100


def normalize(filters: QueueFilters) -> QueueFilters:
    """Filters within range: a known status, a page of 1..100 items, page 1 or later."""
    status = filters.status if filters.status in QUEUE_STATUSES else PENDING
    per_page = min(max(1, filters.per_page), MAX_PER_PAGE)
    return replace(
        filters,
        status=status,
        page=max(1, filters.page),
        per_page=per_page,
        query=filters.query.strip(),
    )


def review_queue(
    candidates: CandidateSource,
    terms: TermStore,
    filters: QueueFilters,
    access: Access | None = None,
) -> QueuePage:
    """One page of candidates, best first, filtered by department, decision and cut-off;
    only those, and of them only what, a document `access` passes shows."""
    filters = normalize(filters)
    keys = candidates.ranked_keys(filters.department, filters.above_cutoff, access)
    decisions = terms.decisions()
    if filters.status != "all":
        keys = [key for key in keys if decisions.get(key, PENDING) == filters.status]
    if filters.query:
        keys = _containing(filters.query.casefold(), keys, candidates, terms)
    start = (filters.page - 1) * filters.per_page
    page_keys = keys[start : start + filters.per_page]
    found, decided = candidates.get_many(page_keys, access), terms.get_many(page_keys)
    items = [QueueItem(found[key], decided.get(key)) for key in page_keys if key in found]
    doc_ids = {c.doc_id for item in items for c in item.candidate.contexts}
    return QueuePage(
        filters=filters,
        items=items,
        total=len(keys),
        documents=candidates.documents(doc_ids, access),
        departments=candidates.departments(access),
    )


def _containing(needle: str, keys: list[str], candidates: CandidateSource, terms: TermStore):
    """The keys whose key, shown form or decided label contains `needle` (casefolded)."""
    shown, labels = candidates.displays(), terms.labels()
    return [
        key
        for key in keys
        if any(needle in text.casefold() for text in (key, shown.get(key, ""), labels.get(key, "")))
    ]
