"""Atom feeds of search hits, written by feedgen (escaping, RFC 3339 dates, required elements)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote, urlencode

from feedgen.feed import FeedGenerator

from kb.search import SearchHit

ATOM_TYPE = "application/atom+xml; charset=utf-8"
# Query parameters that are not part of what a feed follows (a token must never be echoed).
NOT_SEARCH_PARAMETERS = {"token", "page", "format"}


@dataclass(frozen=True)
class FeedInfo:
    title: str
    feed_url: str  # this feed, without any token: it is also the feed's permanent id
    page_url: str  # the same search as a web page
    site_url: str  # the server's root, for document links


def hit_time(hit: SearchHit) -> datetime:
    """Documents carry a date, not a time: midnight UTC of that day."""
    day = date.fromisoformat(hit.date[:10])
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def document_url(site_url: str, doc_id: str) -> str:
    return f"{site_url.rstrip('/')}/documents/{quote(doc_id, safe='')}"


def search_feed_path(items: list[tuple[str, str]]) -> str:
    """The feed of the search these query items describe (paging and format dropped)."""
    kept = [(k, v) for k, v in items if k not in NOT_SEARCH_PARAMETERS]
    return "/feeds/search.atom" + (f"?{urlencode(kept)}" if kept else "")


def department_feed_path(department: str) -> str:
    return f"/feeds/departments/{quote(department, safe='')}.atom"


def atom_feed(info: FeedInfo, hits: list[SearchHit], type_labels: dict[str, str]) -> bytes:
    """The hits, newest first, as Atom 1.0; each entry's author is its department (a feed
    is about what was learned, not who wrote it)."""
    feed = FeedGenerator()
    feed.id(info.feed_url)
    feed.title(info.title)
    feed.link(href=info.feed_url, rel="self", type="application/atom+xml")
    feed.link(href=info.page_url, rel="alternate", type="text/html")
    feed.author(name="Lessonbase")
    feed.generator("Lessonbase")
    feed.updated(max((hit_time(h) for h in hits), default=datetime(2000, 1, 1, tzinfo=UTC)))
    for hit in hits:
        entry = feed.add_entry(order="append")
        url = document_url(info.site_url, hit.id)
        entry.id(url)
        entry.title(hit.title)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.updated(hit_time(hit))
        entry.author(name=hit.department)
        entry.summary(hit.snippet or hit.title)
        entry.category(term=hit.type, label=type_labels.get(hit.type, hit.type))
        for tag in hit.tags:
            entry.category(term=tag)
    return feed.atom_str(pretty=True)
