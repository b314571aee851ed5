"""The search page's data: one object the template renders and `?format=json` serialises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kb.access import Viewer
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchHit, SearchRequest, SearchResult
from web.facet_links import (
    ActiveFilter,
    FacetGroup,
    QueryItems,
    active_filters,
    clear_filters_url,
    facet_groups,
)
from web.search_form import SearchForm
from web.search_pager import PageLink, page_links

OTHER_DEPARTMENTS_K = 3
HEADING_QUERY_CHARS = 120  # a longer query is shortened in the heading (the box keeps it all)


@dataclass
class SearchPage:
    form: SearchForm
    result: SearchResult | None = None
    facets: list[FacetGroup] = field(default_factory=list)
    active: list[ActiveFilter] = field(default_factory=list)
    clear_href: str = "/"
    other_departments: list[SearchHit] = field(default_factory=list)
    page_links: list[PageLink] = field(default_factory=list)

    @property
    def heading_query(self) -> str:
        """The query as the heading echoes it: cut at a word near HEADING_QUERY_CHARS."""
        q = " ".join(self.form.q.split())
        if len(q) <= HEADING_QUERY_CHARS:
            return q
        return q[:HEADING_QUERY_CHARS].rsplit(" ", 1)[0] + " …"

    @property
    def hits(self) -> list[SearchHit]:
        return self.result.hits if self.result else []

    @property
    def total(self) -> int:
        return self.result.total if self.result else 0

    def to_dict(self) -> dict:
        form = self.form
        return {
            "query": form.q,
            "k": form.k,
            "mode": self.result.mode if self.result else form.mode,
            "sort": form.sort,
            "departments": list(form.departments),
            "types": list(form.types),
            "filters": form.filters().to_dict(),
            "active_filters": [asdict(chip) for chip in self.active],
            "total": self.total,
            "page": self.result.page if self.result else self.form.page,
            "pages": self.result.pages if self.result else 0,
            "match_rule": self.result.rule if self.result else "",
            "browsing": bool(self.result and self.result.browsing),
            "nearest_only": bool(self.result and self.result.nearest_only),
            "facets": {group.name: group.to_dict() for group in self.facets},
            "hits": [hit.to_dict() for hit in self.hits],
            "other_departments": [hit.to_dict() for hit in self.other_departments],
        }


def best_from_other_departments(
    kb: KnowledgeBase, form: SearchForm, hits: list[SearchHit], viewer: Viewer
) -> list[SearchHit]:
    """Up to three hits from departments not on the page; none when departments are chosen."""
    if form.departments or not hits:
        return []
    shown = tuple(dict.fromkeys(hit.department for hit in hits))
    filters = form.filters(exclude_departments=shown)
    request = SearchRequest(
        form.q,
        OTHER_DEPARTMENTS_K,
        mode=form.mode,
        filters=filters,
        closest_sentences=form.closest_sentences,
        matches_only=True,
        viewer=viewer,
    )
    result = kb.run_search(request)
    return [] if result.nearest_only else result.hits  # weak "matches" would mislead here


def build_search_page(
    kb: KnowledgeBase, form: SearchForm, items: QueryItems, viewer: Viewer
) -> SearchPage:
    """Run the search (when there is a query or a filter) and everything the page shows around it."""
    page = SearchPage(form, active=active_filters(items), clear_href=clear_filters_url(items))
    if not form.has_query and not form.browsing:
        return page
    page.result = kb.run_search(form.to_request(viewer, with_facets=True))
    page.facets = facet_groups(page.result.facets, items)
    page.page_links = page_links(items, page.result.page, page.result.pages)
    if form.has_query and form.page == 1:
        page.other_departments = best_from_other_departments(kb, form, page.hits, viewer)
    return page
