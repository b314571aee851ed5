"""The search page's page links: previous, next, and the numbers around the current page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from web.facet_links import QueryItems, clean_items

AROUND = 2  # page numbers shown either side of the current one, besides the first and last


@dataclass(frozen=True)
class PageLink:
    label: str
    href: str = ""  # "" for the gap between numbers ("…")
    current: bool = False
    rel: str = ""  # "prev" or "next" for those two links


def page_url(items: QueryItems, number: int, path: str = "/") -> str:
    kept = clean_items(items)  # drops any page number given
    if number > 1:
        kept.append(("page", str(number)))
    return f"{path}?{urlencode(kept)}" if kept else path


def page_links(items: QueryItems, current: int, pages: int) -> list[PageLink]:
    """Nothing for a single page; else ← Previous, 1 … 4 5 [6] 7 8 … 20, Next →."""
    if pages <= 1:
        return []
    links = []
    if current > 1:
        links.append(PageLink("← Previous", page_url(items, current - 1), rel="prev"))
    shown = sorted({1, pages, *range(max(1, current - AROUND), min(pages, current + AROUND) + 1)})
    for before, number in zip([0, *shown], shown, strict=False):
        if number - before > 1 and before:
            links.append(PageLink("…"))
        links.append(PageLink(str(number), page_url(items, number), current=number == current))
    if current < pages:
        links.append(PageLink("Next →", page_url(items, current + 1), rel="next"))
    return links
