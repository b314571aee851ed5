"""Query words: what keyword search matches, snippets highlight and reasons cite."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours""".split()
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, in order, without repeats."""
    lowered = (w.lower().strip("'-") for w in words(text))
    return list(dict.fromkeys(w for w in lowered if w and w not in STOPWORDS))


@lru_cache(maxsize=2**16)  # called for every word of every hit's passage: words repeat
def stem(word: str) -> str:
    """A crude stem for matching snippets to query words (vendor/vendors, delay/delayed)."""
    word = word.lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def glossary_expansions(text: str, expansions: dict[str, list[str]]) -> list[str]:
    """Other forms of approved glossary terms the query uses ("RCA" -> "root cause analysis").

    Looks up every run of up to four consecutive query words, so multi-word terms match too.
    """
    if not expansions:
        return []
    tokens = [w.lower().strip("'-") for w in words(text)]
    found: list[str] = []
    for size in range(min(4, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            found.extend(expansions.get(" ".join(tokens[start : start + size]), ()))
    return list(dict.fromkeys(found))


def fts_phrases(text: str, extra_phrases: list[str] = ()) -> list[str]:
    """FTS5 phrases, one per query term or extra phrase, without repeats; hyphenated terms
    become multi-word phrases."""
    parts = []
    for term in [*query_terms(text), *extra_phrases]:
        tokens = re.findall(r"[a-z0-9]+", term.lower())
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return list(dict.fromkeys(parts))
