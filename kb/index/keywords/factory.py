"""Opening the keyword scoring a generation was written with (its manifest's
`keyword_index`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kb.index.keywords.base import KeywordScoring
from kb.index.keywords.postings import PostingsScoring
from kb.problems import IndexUnavailableError

if TYPE_CHECKING:
    from kb.index.store import Store

# The manifest's name for each backend an index run writes -> how a reader opens it.
BACKENDS: dict[str, Callable[[Path, Store], KeywordScoring]] = {"postings": PostingsScoring.open}


def open_keyword_scoring(backend: str, generation: Path, store: Store) -> KeywordScoring:
    """The keyword scoring of ``generation`` (whose database ``store`` reads), as written.

    An index written before keyword postings existed ("fts5") is refused: the next `kb index`
    adds them (kb.index.generations.Manifest.keyword_index) without embedding anything again."""
    if backend not in BACKENDS:
        raise IndexUnavailableError(
            f"{generation}: this index was written by an older Lessonbase, without keyword "
            f"postings (keyword_index {backend!r}); run `kb index` to update it "
            "(nothing is embedded again)"
        )
    return BACKENDS[backend](generation, store)
