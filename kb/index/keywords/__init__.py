"""Keyword scoring: BM25 as SQLite FTS5 computes it, behind one interface
(`base.KeywordScoring`) with a backend per way of computing it: postings in memory
(`postings`, which index runs write) and FTS5 itself (`fts5`, for phrases of several words).
`factory` opens the one a generation was written with; a new backend is a module and one
entry in `factory.BACKENDS`."""

from kb.index.keywords.base import FTS_WEIGHTS, KeywordScoring
from kb.index.keywords.factory import open_keyword_scoring
from kb.index.keywords.fts5 import Fts5Scoring
from kb.index.keywords.postings import KEYWORDS_NAME, Postings, PostingsScoring, build_postings

__all__ = [
    "FTS_WEIGHTS",
    "KEYWORDS_NAME",
    "Fts5Scoring",
    "KeywordScoring",
    "Postings",
    "PostingsScoring",
    "build_postings",
    "open_keyword_scoring",
]
