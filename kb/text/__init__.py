"""Text handling shared by all of kb: words, stopwords, FTS5's stems, slugs.

    words.py    word patterns (TOKEN splits as FTS5's unicode61 does), stopwords, slugs
    fts.py      FTS5's own tokenizer and Porter stemmer, run in memory: terms as indexed
    phrases.py  where a text holds a query's terms, by those stems (snippets, highlights)
    statistics.py  document frequencies, and the distinctive terms two texts share

Imports only the standard library, so every part of kb (documents, index, search, glossary,
kickoff) and the indexer can use it without an import cycle.
"""

from kb.text.fts import FTS_COLUMNS, FTS_TOKENIZER, FtsTokenizer, stem, stems, word_term
from kb.text.phrases import TermSpan, matched_terms, term_spans
from kb.text.words import (
    CONTEXT_STOPWORDS,
    LETTER_WORD,
    PHRASE_WORD,
    PROSE_WORD,
    QUERY_WORD,
    STOPWORDS,
    TERM_WORD,
    TOKEN,
    WORD,
    phrase_words,
    prose_words,
    query_words,
    slug,
    term_words,
    tokens,
)

__all__ = [
    "CONTEXT_STOPWORDS",
    "FTS_COLUMNS",
    "FTS_TOKENIZER",
    "LETTER_WORD",
    "PHRASE_WORD",
    "PROSE_WORD",
    "QUERY_WORD",
    "STOPWORDS",
    "TERM_WORD",
    "TOKEN",
    "WORD",
    "FtsTokenizer",
    "TermSpan",
    "matched_terms",
    "phrase_words",
    "prose_words",
    "query_words",
    "slug",
    "stem",
    "stems",
    "term_spans",
    "term_words",
    "tokens",
    "word_term",
]
