"""Acronyms paired with their expansions (after Schwartz & Hearst, PSB 2003).

Handles both "root cause analysis (RCA)" and "RCA (root cause analysis)". The long form is
a run of the words before the parenthesis in which the short form's letters are found in
order, its first letter starting the run's first word. Where the published algorithm takes
the shortest such run, here every letter must be accounted for: each content word of the
long form starts with one of the letters, letters inside words are fewer than those
starting words, and the run does not start with a function word. Of the runs that pass, the
one whose words' initials spell most of the short form wins, so "American Institute of
Aeronautics and Astronautics (AIAA)" gives the whole name, not "aeronautics and
astronautics", and "protective equipment (PPE)" alone gives nothing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

# "long form (SF)": short form of 2-10 characters with a letter, at most two words.
_SHORT_IN_PARENS = re.compile(r"\(\s*([^\s()][^()]{0,9}?)\s*\)")
# "SF (long form)": an acronym-shaped word right before a parenthesis of several words.
_SHORT_BEFORE_PARENS = re.compile(r"\b([A-Z][A-Za-z0-9&.\-]{1,9})\s*\(\s*([^()]{4,120}?)\s*\)")
_CLAUSE_BREAK = re.compile(r"[.;:!?()\[\]\n]")
# Where a word of a long form starts: after a space, a hyphen or a slash ("off-the-shelf").
_WORD_START = re.compile(r"(?:(?<=^)|(?<=[\s/\-]))[^\W_]", re.UNICODE)
FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into of on or per the to via with".split()
)


@dataclass(frozen=True)
class AcronymForms:
    """Lower-cased short form -> its most frequent lower-cased long form (``pairs``), and
    each of their lower-cased forms -> its most common written form (``written``)."""

    pairs: dict[str, str]
    written: dict[str, str]


def is_short_form(text: str) -> bool:
    """Acronym-shaped: 2-10 chars, at most two words, a letter first, an upper-case letter."""
    words = text.split()
    has_upper = any(char.isupper() for char in text)
    return 2 <= len(text) <= 10 and len(words) <= 2 and text[0].isalnum() and has_upper


def best_long_form(short: str, candidate: str) -> str | None:
    """The tail of ``candidate`` that ``short`` best abbreviates (see the module), or None."""
    letters = "".join(char.lower() for char in short if char.isalnum())
    best, best_initials = None, 0
    for match in reversed(list(_WORD_START.finditer(candidate))):  # shortest tail first
        long_form = candidate[match.start() :].strip()
        first_word = long_form.split()[0].lower() if long_form.split() else ""
        if first_word in FUNCTION_WORDS or not _plausible(short, long_form):
            continue
        initials = _initials_matched(letters, long_form.lower())
        if initials > best_initials:
            best, best_initials = long_form, initials
    return best


def _initials_matched(letters: str, long_form: str) -> int:
    """Most letters that can start words in an alignment that accounts for every letter
    and every content word, with fewer letters inside words than at their starts; 0: none.
    Function words are skipped: "and" is no "A" of AIAA."""
    content, masked = [], list(long_form)
    for match in _WORD_START.finditer(long_form):
        word = long_form[match.start() :].split(maxsplit=1)[0]  # "off-the-shelf" is one
        if word in FUNCTION_WORDS:
            masked[match.start() : match.start() + len(word)] = " " * len(word)
        else:
            content.append(match.start())
    found = _align(letters, "".join(masked), frozenset(content), tuple(content))
    return max((initials for initials, inside in found if inside < initials), default=0)


def _align(letters: str, text: str, starts: frozenset, content: tuple) -> set:
    """Every (initials, inside) count pair of the alignments of ``letters`` in ``text``:
    the first letter at position 0, no content word start skipped, none left after."""

    @cache
    def from_here(k: int, i: int) -> frozenset:
        # letters[k:] matched at positions >= i; no content word starts before i unmatched.
        if k == len(letters):
            return frozenset({(0, 0)}) if all(c < i for c in content) else frozenset()
        found = set()
        next_content = next((c for c in content if c >= i), len(text))
        for j in range(i, min(next_content, len(text) - 1) + 1):
            if j < len(text) and text[j] == letters[k]:
                initial = j in starts
                for a, b in from_here(k + 1, j + 1):
                    found.add((a + initial, b + (not initial)))
        return frozenset(found)

    if not text or text[0] != letters[:1]:
        return set()
    return {(a + 1, b) for a, b in from_here(1, 1)} if letters else set()


def _plausible(short: str, long_form: str) -> bool:
    words = long_form.split()
    return len(long_form) > len(short) and 1 < len(words) <= min(len(short) + 5, 2 * len(short))


def _preceding_words(text: str, end: int, short: str) -> str:
    """The clause before a parenthesis, cut to the longest window the algorithm allows."""
    window = text[max(0, end - 200) : end]
    window = _CLAUSE_BREAK.split(window)[-1]
    words = window.split()  # the same words as r"\S+" finds: both split on str.isspace
    return " ".join(words[-min(len(short) + 5, 2 * len(short)) :])


def _without_full_stop(short: str) -> str:
    """ "SRR." ends a sentence inside the parenthesis; "F.O.D." is written with stops."""
    return short[:-1] if short.endswith(".") and short.count(".") == 1 else short


def _pairs_in(text: str):
    for match in _SHORT_IN_PARENS.finditer(text):
        short = _without_full_stop(match.group(1))
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


def acronym_forms(texts: list[str]) -> AcronymForms:
    """The acronyms of ``texts`` with their expansions, and how both are written."""
    seen: dict[str, Counter] = defaultdict(Counter)
    written: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for short, long_form in _pairs_in(text):
            long_form = " ".join(long_form.split())
            seen[short.lower()][long_form.lower()] += 1
            written[short.lower()][short] += 1
            written[long_form.lower()][long_form] += 1
    pairs = {short: forms.most_common(1)[0][0] for short, forms in sorted(seen.items())}
    used = set(pairs) | set(pairs.values())
    return AcronymForms(pairs, {form: written[form].most_common(1)[0][0] for form in used})


def find_acronyms(texts: list[str]) -> dict[str, str]:
    """Lower-cased short form -> its most frequent lower-cased long form across ``texts``."""
    return acronym_forms(texts).pairs
