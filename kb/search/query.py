"""A query's terms: what keyword search matches, snippets highlight and reasons cite."""

from __future__ import annotations

import re

from kb.text import STOPWORDS, query_words


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, in order, without repeats."""
    lowered = (w.lower().strip("'-") for w in query_words(text))
    return list(dict.fromkeys(w for w in lowered if w and w not in STOPWORDS))


def glossary_expansions(text: str, expansions: dict[str, list[str]]) -> list[str]:
    """Other forms of approved glossary terms the query uses ("RCA" -> "root cause analysis").

    Looks up every run of up to four consecutive query words, so multi-word terms match too.
    """
    if not expansions:
        return []
    tokens = [w.lower().strip("'-") for w in query_words(text)]
    found: list[str] = []
    for size in range(min(4, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            found.extend(expansions.get(" ".join(tokens[start : start + size]), ()))
    return list(dict.fromkeys(found))


def term_alternatives(text: str, expansions: dict[str, list[str]]) -> dict[str, list[str]]:
    """{query term: the glossary forms of a run of query words it is part of}: a passage
    with "root cause analysis" holds the query's "rca" as far as coverage is concerned."""
    tokens = [w.lower().strip("'-") for w in query_words(text)]
    found: dict[str, list[str]] = {}
    for size in range(min(4, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            run = tokens[start : start + size]
            for form in expansions.get(" ".join(run), ()) if expansions else ():
                for token in run:
                    found.setdefault(token, []).append(form)
    return found


# A phrase's words: FTS5's tokens of lower-cased ASCII (kb.text.TOKEN). Letters outside ASCII
# split words here, as they always have, so a query matches what it matched before.
_PHRASE_TOKEN = re.compile(r"[a-z0-9]+")


def fts_phrases(text: str, extra_phrases: list[str] = ()) -> list[str]:
    """FTS5 phrases, one per query term or extra phrase, without repeats; hyphenated terms
    become multi-word phrases."""
    parts = (fts_phrase(term) for term in [*query_terms(text), *extra_phrases])
    return list(dict.fromkeys(part for part in parts if part))


def fts_phrase(term: str) -> str:
    """A term as an FTS5 phrase ('"hand offs"'); "" when it has no word."""
    tokens = _PHRASE_TOKEN.findall(term.lower())
    return '"' + " ".join(tokens) + '"' if tokens else ""
