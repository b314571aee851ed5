"""Candidates no editor keeps, whatever the model scores them: calendar words, markup and
record-keeping residue, and words broken by the text's extraction.

The rules read only a candidate's own forms, so they hold on any corpus: "thursday",
"march 2003", "the eighties"; "quot" (an HTML entity whose "&" and ";" were stripped) and
"docid" (a document-number label); "act)-america" (a bracket opened elsewhere),
"verify--" or "/solidification" (punctuation where a word should start or end).
"""

from __future__ import annotations

import re

_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_MONTHS = "january february march april june july august september october november december"
# Abbreviations are calendar words only beside a number: alone, "DEC" or "SEP" may be names.
MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_DECADES = "twenties thirties forties fifties sixties seventies eighties nineties"
_CALENDAR_EXTRA = "today yesterday tomorrow weekend weekday"
CALENDAR_WORDS = frozenset(f"{_DAYS} {_MONTHS} {_DECADES} {_CALENDAR_EXTRA}".split())
# HTML entity names left when "&" and ";" were stripped, and record-keeping labels.
RESIDUE_WORDS = frozenset(
    "quot nbsp apos ndash mdash lsquo rsquo ldquo rdquo hellip laquo raquo docid".split()
)
_NUMBER = re.compile(r"^[\d.,'’/-]+(?:s|st|nd|rd|th)?$")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
# Characters a term may start or end with besides letters and digits ("c++", "c#", "(tm)").
_EDGE_OK = frozenset("+#)]%")


_FLAGGED = CALENDAR_WORDS | RESIDUE_WORDS | MONTH_ABBREVIATIONS
_PLAIN = re.compile(r"[^\W_]+(?: [^\W_]+)*")  # words of letters and digits only


def is_junk(surface: str) -> bool:
    """True for a lower-cased ``surface`` no glossary wants. Called for every one of a
    corpus's lemma groups (300,000 on NASA): plain words take the quick path."""
    words = surface.split()
    if not words:
        return True
    pieces = surface.replace("-", " ").replace("/", " ").split()
    if not _FLAGGED.isdisjoint(pieces):
        if _calendar(words):
            return True
        if not RESIDUE_WORDS.isdisjoint(pieces):
            return True
    return _PLAIN.fullmatch(surface) is None and _broken(surface)


def _calendar(words: list[str]) -> bool:
    """Only dates: "thursday", "march 2003", "sep 12" (but not "sep" alone)."""
    numbers = [word for word in words if _NUMBER.match(word)]
    named = [word for word in words if word in CALENDAR_WORDS]
    abbreviated = [word for word in words if word in MONTH_ABBREVIATIONS]
    only_dates = len(numbers) + len(named) + len(abbreviated) == len(words)
    return only_dates and bool(named or (abbreviated and numbers))


def _broken(surface: str) -> bool:
    """Unbalanced brackets, or punctuation where a word starts or ends."""
    if not (surface[0].isalnum() and (surface[-1].isalnum() or surface[-1] in _EDGE_OK)):
        return True
    if "--" in surface:
        return True
    depth: list[str] = []
    for char in surface:
        if char in _BRACKETS:
            depth.append(_BRACKETS[char])
        elif char in _BRACKETS.values() and (not depth or depth.pop() != char):
            return True
    return bool(depth)
