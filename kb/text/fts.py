"""Terms exactly as the full-text index (FTS5) makes them: its tokenizer and Porter stemmer.

Keyword scoring from postings in memory (kb.index.keywords) must see the very terms FTS5
indexes and matches ("delays" -> "delai"), or its scores would drift from FTS5's; snippets
and highlights must mark the words a query matched, so they need the same stems. Rather than
re-implement the unicode61 tokenizer and its Porter stemmer, text goes through FTS5 itself:
a private in-memory, contentless FTS5 table with the same tokenizer, read back through its
`instance` vocabulary and emptied after each batch. It is exact by construction, and faster
than the Python stemmers: on the NASA lessons' 19,621 distinct tokens, snowballstemmer's and
nltk's original Porter differ from FTS5 on 26, nltk's Martin extensions on 3 ("eed", "ies");
a batch through FTS5 costs 9 us a word, snowballstemmer 18, nltk 14.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from functools import lru_cache

FTS_TOKENIZER = "porter unicode61"
FTS_COLUMNS = ("title", "heading", "text")
STEMS_KEPT = 2**17  # memoized token -> stem pairs (a few MB): texts repeat their words


class FtsTokenizer:
    def __init__(self):
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.executescript(
            f"CREATE VIRTUAL TABLE tok USING fts5({', '.join(FTS_COLUMNS)},"
            f" tokenize = '{FTS_TOKENIZER}', content = '');"
            "CREATE VIRTUAL TABLE tok_terms USING fts5vocab(tok, 'instance');"
        )
        self._lock = threading.Lock()  # one table: one batch at a time

    def instances(self, rows: list[tuple[int, str, str, str]]) -> list[tuple[str, int]]:
        """(term, id * 3 + column) of every token of (id, title, heading, text) rows, the
        columns numbered as in FTS_COLUMNS; ids must be distinct and not negative."""
        with self._lock:
            try:
                self._conn.executemany(
                    "INSERT INTO tok (rowid, title, heading, text) VALUES (?,?,?,?)", rows
                )
                # Two plain values a row: Python objects per token are most of the cost.
                return self._conn.execute(
                    "SELECT term, doc * 3 + (col = 'heading') + 2 * (col = 'text') FROM tok_terms"
                ).fetchall()
            finally:
                self._conn.execute("INSERT INTO tok (tok) VALUES ('delete-all')")

    def word_terms(self, words: list[str]) -> list[str | None]:
        """The term of each single word (None when FTS5 makes no term, or several, of it)."""
        terms: dict[int, list[str]] = {}
        for term, code in self.instances([(i, "", "", word) for i, word in enumerate(words)]):
            terms.setdefault(code // 3, []).append(term)
        return [t[0] if len(t := terms.get(i, [])) == 1 else None for i in range(len(words))]


_shared: FtsTokenizer | None = None
_shared_lock = threading.Lock()


def _tokenizer() -> FtsTokenizer:
    """One tokenizer for queries and snippets, made on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = FtsTokenizer()
    return _shared


@lru_cache(maxsize=2**16)  # queries repeat their words
def word_term(word: str) -> str | None:
    """The FTS5 term a query word matches: its Porter stem, lower-cased."""
    return _tokenizer().word_terms([word])[0]


_stems: dict[str, str] = {}


def stems(tokens: Iterable[str]) -> list[str]:
    """FTS5's term of each token (a kb.text.TOKEN match): case-folded, diacritics removed,
    Porter-stemmed. Tokens not yet seen go through FTS5 in one batch."""
    tokens = list(tokens)
    known = _stems
    try:
        return [known[token] for token in tokens]  # nearly always: texts repeat their words
    except KeyError:
        pass
    found = {token: known.get(token) for token in tokens}  # this call's own: others may clear
    missing = [token for token, term in found.items() if term is None]
    terms = _tokenizer().word_terms(missing)
    new = {token: term or token.lower() for token, term in zip(missing, terms, strict=True)}
    if len(known) + len(new) > STEMS_KEPT:
        known.clear()
    known.update(new)
    found.update(new)
    return [found[token] for token in tokens]


def stem(token: str) -> str:
    return stems([token])[0]
