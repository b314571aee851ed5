"""Where a text holds a query's terms, found as FTS5 matches them: stems in a row.

A query term of one token ("mishaps") matches every token with its stem ("mishap",
"Mishaps"); a term of several ("hand-offs", "root cause analysis") matches their stems in
sequence, as an FTS5 phrase does. Snippets choose sentences by it and pages highlight with it,
so both agree with what matched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kb.text.fts import stems
from kb.text.words import TOKEN, tokens


@dataclass(frozen=True)
class TermSpan:
    start: int  # character offsets in the text
    end: int
    term: str  # the query term found there


def term_spans(text: str, terms: Iterable[str]) -> list[TermSpan]:
    """Every place a term occurs in the text, by start (a longer match first)."""
    by_first: dict[str, list[tuple[str, list[str]]]] = {}
    for term, phrase in _phrases(terms).items():
        by_first.setdefault(phrase[0], []).append((term, phrase))
    text_stems = stems(TOKEN.findall(text))
    starts = [i for i, term_stem in enumerate(text_stems) if term_stem in by_first]
    if not starts:
        return []
    offsets = [match.span() for match in TOKEN.finditer(text)]
    spans = []
    for i in starts:
        for term, phrase in by_first[text_stems[i]]:
            if text_stems[i : i + len(phrase)] == phrase:
                end = offsets[i + len(phrase) - 1][1]
                spans.append(TermSpan(offsets[i][0], end, term))
    return sorted(spans, key=lambda span: (span.start, -span.end))


def _phrases(terms: Iterable[str]) -> dict[str, list[str]]:
    """Each term's stems, all stemmed in one batch (a term without a token is left out)."""
    # Most terms are one plain word: `str.isalnum` is the TOKEN pattern's `[^\W_]`, and a
    # related-lesson passage checks hundreds of terms.
    split = {term: [term] if term.isalnum() else tokens(term) for term in dict.fromkeys(terms)}
    flat = iter(stems(token for words in split.values() for token in words))
    return {term: [next(flat) for _ in words] for term, words in split.items() if words}


def matched_terms(text: str, terms: Iterable[str]) -> set[str]:
    """The terms a text holds."""
    return {span.term for span in term_spans(text, terms)}
