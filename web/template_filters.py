"""Jinja filters and helpers: safe Markdown, query-term highlighting, display of values.

Each returns either plain text (autoescaped by Jinja) or `Markup` built from escaped pieces,
so document text can never inject HTML into a page.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from urllib.parse import quote, urlencode

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from kb.documents.lifecycle import STATUS_LABELS
from kb.documents.schema import DOC_TYPES
from kb.search import query_terms
from kb.text import term_spans

_WEB_LINK = re.compile(r"^https?://", re.IGNORECASE)


# A wide table scrolls sideways in its own box, which takes keyboard focus so that keyboard
# users can scroll it too (axe-core's scrollable-region-focusable).
TABLE_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">\n<table>\n'
TABLE_CLOSE = "</table>\n</div>\n"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "html": False makes raw HTML in a document show as text; links with javascript: and
    # similar schemes are refused by markdown-it's own link validation.
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("table_open", lambda *_: TABLE_OPEN)
    md.add_render_rule("table_close", lambda *_: TABLE_CLOSE)
    return md


def render_markdown(text: str | None) -> Markup:
    """Document Markdown as HTML; raw HTML inside it comes out escaped."""
    return Markup(_markdown().render(text or ""))


def highlight(text: str | None, query: str | None) -> Markup:
    """Escape `text`, wrapping in <mark> the words the query matched: every form with the same
    stem as a query word, as full-text search matches them ("mishap" for "mishaps").

    Matching runs on the original text and every piece is escaped on its own, so a query
    word can never match inside an HTML entity such as `&lt;`.
    """
    text = text or ""
    terms = query_terms(query or "")
    pieces: list[Markup] = []
    position = 0
    for span in term_spans(text, terms) if terms else ():
        if span.start < position:
            continue  # inside a longer match already marked ("hand-offs" over "hand")
        pieces.append(escape(text[position : span.start]))
        pieces.append(Markup("<mark>%s</mark>") % text[span.start : span.end])
        position = span.end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def is_web_link(url: str | None) -> bool:
    """True only for http(s) URLs: anything else (javascript:, file:, data:) stays plain text."""
    return bool(url and _WEB_LINK.match(url.strip()))


def display_value(value: object) -> str:
    """A metadata value as one line of text: lists joined, mappings as JSON."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(display_value(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


MATCH_LABELS = {
    ("keyword", "meaning"): "words and meaning",
    ("keyword",): "words only",
    ("meaning",): "meaning only",
}


def match_label(matched_by: list[str] | tuple[str, ...]) -> str:
    """How a hit matched, in plain words: `["keyword", "meaning"]` -> `words and meaning`."""
    return MATCH_LABELS.get(tuple(sorted(matched_by)), " and ".join(matched_by))


MODE_LABELS = {"hybrid": "words and meaning", "keyword": "exact words", "semantic": "meaning"}


def mode_label(mode: str) -> str:
    """What a search mode matches, in plain words."""
    return MODE_LABELS.get(mode, mode)


def type_label(doc_type: str) -> str:
    spec = DOC_TYPES.get(doc_type)
    return spec.label if spec else doc_type


def document_path(doc_id: str) -> str:
    return "/documents/" + quote(doc_id, safe="")


def browse_path(parameter: str, value: str) -> str:
    """The list of every document whose `parameter` (department, type, project, tag) is
    `value`: the search page with that one filter and no query."""
    return "/?" + urlencode({parameter: value})


def when(stamp: str | None) -> str:
    """'2025-03-01T09:30:00Z' -> '2025-03-01 09:30 UTC' (anything else unchanged)."""
    match = re.match(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):\d{2}Z$", stamp or "")
    return f"{match.group(1)} {match.group(2)} UTC" if match else (stamp or "")


def term_path(key: str) -> str:
    return "/glossary/terms/" + quote(key, safe="")


def field_label(name: str) -> str:
    """`due_date` -> `Due date`, for fields the schema does not name."""
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def status_label(status: str | None) -> str:
    """A lifecycle status as it reads (`lesson-learned` -> "Lesson learned"); another word,
    from an index built before statuses were checked, as it is."""
    return STATUS_LABELS.get(status or "", status or "")
