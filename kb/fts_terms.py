"""Terms of passages and query words exactly as the full-text index (FTS5) makes them.

Keyword scoring from postings in memory (kb.keyword_index) must see the very terms FTS5
indexes and matches ("delays" -> "delai"), or its scores would drift from FTS5's. Rather than
re-implement the unicode61 tokenizer and its Porter stemmer, the text goes through FTS5
itself: a private in-memory, contentless FTS5 table with the same tokenizer, read back
through its `instance` vocabulary and emptied after each batch.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import lru_cache

FTS_TOKENIZER = "porter unicode61"
FTS_COLUMNS = ("title", "heading", "text")


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


_query_tokenizer: FtsTokenizer | None = None
_query_lock = threading.Lock()


@lru_cache(maxsize=2**16)  # queries repeat their words
def word_term(word: str) -> str | None:
    """The FTS5 term a query word matches: its Porter stem, lower-cased."""
    global _query_tokenizer
    with _query_lock:
        if _query_tokenizer is None:
            _query_tokenizer = FtsTokenizer()
    return _query_tokenizer.word_terms([word])[0]
