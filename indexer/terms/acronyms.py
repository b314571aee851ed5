"""Acronyms paired with their expansions (Schwartz & Hearst, PSB 2003).

Handles both "root cause analysis (RCA)" and "RCA (root cause analysis)". The long form is
the shortest run of preceding words in which the short form's characters can be found in
order, the first character starting a word (the published algorithm, searched right to left).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

# "long form (SF)": short form of 2-10 characters with a letter, at most two words.
_SHORT_IN_PARENS = re.compile(r"\(\s*([^\s()][^()]{0,9}?)\s*\)")
# "SF (long form)": an acronym-shaped word right before a parenthesis of several words.
_SHORT_BEFORE_PARENS = re.compile(r"\b([A-Z][A-Za-z0-9&.\-]{1,9})\s*\(\s*([^()]{4,120}?)\s*\)")
_CLAUSE_BREAK = re.compile(r"[.;:!?()\[\]\n]")


def is_short_form(text: str) -> bool:
    """Acronym-shaped: 2-10 chars, at most two words, a letter first, an upper-case letter."""
    words = text.split()
    has_upper = any(char.isupper() for char in text)
    return 2 <= len(text) <= 10 and len(words) <= 2 and text[0].isalnum() and has_upper


def best_long_form(short: str, candidate: str) -> str | None:
    """Schwartz-Hearst: match ``short`` inside the tail of ``candidate`` right to left."""
    letters = [char.lower() for char in short if char.isalnum()]
    text = candidate.lower()
    s_idx, l_idx = len(letters) - 1, len(text) - 1
    while s_idx >= 0:
        char = letters[s_idx]
        while l_idx >= 0 and (
            text[l_idx] != char or (s_idx == 0 and l_idx > 0 and text[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        s_idx, l_idx = s_idx - 1, l_idx - 1
    start = text.rfind(" ", 0, l_idx + 1) + 1
    long_form = candidate[start:].strip()
    return long_form if _plausible(short, long_form) else None


def _plausible(short: str, long_form: str) -> bool:
    words = long_form.split()
    return len(long_form) > len(short) and 1 < len(words) <= min(len(short) + 5, 2 * len(short))


def _preceding_words(text: str, end: int, short: str) -> str:
    """The clause before a parenthesis, cut to the longest window the algorithm allows."""
    window = text[max(0, end - 200) : end]
    window = _CLAUSE_BREAK.split(window)[-1]
    words = window.split()  # the same words as r"\S+" finds: both split on str.isspace
    return " ".join(words[-min(len(short) + 5, 2 * len(short)) :])


def _pairs_in(text: str):
    for match in _SHORT_IN_PARENS.finditer(text):
        short = match.group(1)
        if is_short_form(short):
            long_form = best_long_form(short, _preceding_words(text, match.start(), short))
            if long_form:
                yield short, long_form
    for match in _SHORT_BEFORE_PARENS.finditer(text):
        short, inside = match.group(1), match.group(2)
        if is_short_form(short) and len(inside.split()) > 1:
            long_form = best_long_form(short, inside)
            if long_form and long_form.lower() == inside.lower():
                yield short, long_form


def find_acronyms(texts: list[str]) -> dict[str, str]:
    """Lower-cased short form -> its most frequent lower-cased long form across ``texts``."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for short, long_form in _pairs_in(text):
            seen[short.lower()][" ".join(long_form.lower().split())] += 1
    return {short: forms.most_common(1)[0][0] for short, forms in sorted(seen.items())}
