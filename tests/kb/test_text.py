"""kb.text: words split and stemmed as the full-text index does, stopwords, slugs."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from itertools import islice

import pytest

from kb.text import (
    CONTEXT_STOPWORDS,
    STOPWORDS,
    matched_terms,
    slug,
    stem,
    stems,
    term_spans,
    tokens,
)

AWKWARD = [
    "The rack vendor's lead-time went 6->12 weeks (again); see RFC_2119 & R&D.",
    "Café déjà-vu: naïve coöperation, Straße, İstanbul, ½ cup, x² and 3.14159.",
    "Don't re-test: it's the O'Brien valve — mishaps, assemblies, methodologies.",
]


def fts5_terms(texts: list[str], tokenizer: str) -> list[list[str]]:
    """Each text's terms in order, read from a real FTS5 table with `tokenizer`."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize = '{tokenizer}')")
    conn.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", enumerate(texts))
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    found: list[list[str]] = [[] for _ in texts]
    for term, doc in conn.execute("SELECT term, doc FROM v ORDER BY doc, offset"):
        found[doc].append(term)
    return found


def nasa_texts(shared_data) -> list[str]:
    """The text fields of every fourth NASA lesson (323 lessons, about 150,000 tokens)."""
    with (shared_data / "nasa-llis" / "lessons.jsonl").open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in islice(lines, 0, None, 4)]
    return [" ".join(v for v in r.values() if isinstance(v, str)) for r in records]


def folded(token: str) -> str:
    """As unicode61 leaves a token: lower-cased, diacritics removed."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_text_tokens_are_fts5_unicode61_tokens(shared_data):
    texts = AWKWARD + nasa_texts(shared_data)
    expected = fts5_terms(texts, "unicode61")
    assert [[folded(t) for t in tokens(text)] for text in texts] == expected


def test_text_stems_are_the_terms_fts5_indexes(shared_data):
    texts = AWKWARD + nasa_texts(shared_data)
    assert [stems(tokens(text)) for text in texts] == fts5_terms(texts, "porter unicode61")


def test_text_stems_follow_fts5_where_porter_stemmers_differ():
    # FTS5's Porter, not Snowball's: these are where snowballstemmer's "porter" disagrees.
    assert stems(["assemblies", "assembly", "methodology", "Mishaps", "Café"]) == [
        "assembl",
        "assembl",
        "methodolog",
        "mishap",
        "cafe",
    ]
    assert stem("delays") == stem("delayed") == "delai"


def test_text_term_spans_find_every_form_fts5_matches():
    text = "Two mishaps, one Mishap; hand-offs and a hand off; a handoff."
    spans = term_spans(text, ["mishap", "hand-off"])
    assert [(text[s.start : s.end], s.term) for s in spans] == [
        ("mishaps", "mishap"),
        ("Mishap", "mishap"),
        ("hand-offs", "hand-off"),
        ("hand off", "hand-off"),
    ]
    assert matched_terms(text, ["handoffs", "hand", "rotor", ""]) == {"handoffs", "hand"}


def test_text_context_stopwords_extend_the_one_stopword_list():
    assert STOPWORDS < CONTEXT_STOPWORDS
    assert {"the", "and", "of"} <= STOPWORDS and {"use", "don't"} <= CONTEXT_STOPWORDS - STOPWORDS


@pytest.mark.parametrize(
    ("text", "fold", "expected"),
    [
        ("Root cause analysis", False, "root-cause-analysis"),
        ("  Lead time -- (days)  ", False, "lead-time-days"),
        ("Über-Prüfung", False, "ber-pr-fung"),  # document ids have always been made so
        ("Über-Prüfung", True, "uber-prufung"),
        ("???", False, ""),
    ],
)
def test_text_slug(text, fold, expected):
    assert slug(text, fold_accents=fold) == expected
    assert slug(text, fold_accents=fold, default="untitled") == (expected or "untitled")
