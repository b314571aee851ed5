"""Mark approved glossary terms in rendered documents, with their definition on hover or focus.

The rendered HTML is already safe (markdown-it with raw HTML off), so terms are matched only
in its text between tags, never inside tags, links or code, and every inserted value is
escaped again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from kb.glossary import Glossary

_TAG = re.compile(r"(<[^>]+>)")
_SKIP_INSIDE = ("a", "code", "pre")


@dataclass(frozen=True)
class TermMark:
    key: str
    label: str
    definition: str


def approved_terms(glossary: Glossary) -> dict[str, TermMark]:
    """Lower-cased form (label, acronym, synonym) -> the approved term it names."""
    marks: dict[str, TermMark] = {}
    for term in glossary.terms.accepted():
        if term.status != "approved" or not term.definition:
            continue
        mark = TermMark(term.key, term.label, term.definition)
        for form in term.forms:
            marks.setdefault(form.casefold(), mark)
    return marks


def _pattern(marks: dict[str, TermMark]) -> re.Pattern | None:
    if not marks:
        return None
    forms = sorted((str(escape(form)) for form in marks), key=len, reverse=True)  # longest first
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])", re.I)


def mark_terms(html: Markup, marks: dict[str, TermMark]) -> Markup:
    """The first mention of each approved term in `html`, linked and defined."""
    pattern = _pattern(marks)
    if pattern is None:
        return html
    seen: set[str] = set()
    depth = {name: 0 for name in _SKIP_INSIDE}
    out = []
    for piece in _TAG.split(str(html)):
        if piece.startswith("<"):
            _track(piece, depth)
            out.append(piece)
        elif any(depth.values()):
            out.append(piece)
        else:
            out.append(pattern.sub(lambda m: _wrap(m, marks, seen), piece))
    return Markup("".join(out))


def _track(tag: str, depth: dict[str, int]) -> None:
    match = re.match(r"<(/?)([a-zA-Z0-9]+)", tag)
    if match and match.group(2).lower() in depth:
        depth[match.group(2).lower()] += -1 if match.group(1) else 1


def _wrap(match: re.Match, marks: dict[str, TermMark], seen: set[str]) -> str:
    text = match.group(0)
    mark = marks.get(Markup(text).unescape().casefold())
    if mark is None or mark.key in seen:
        return text
    seen.add(mark.key)
    definition = escape(mark.definition)
    return (
        f'<a class="glossary-term" href="/glossary/terms/{escape(mark.key)}" '
        f'title="{definition}" data-definition="{definition}">{text}</a>'
    )
