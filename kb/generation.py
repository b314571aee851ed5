"""One opened index generation (its manifest, store, vectors, keyword scoring and searcher)
and the pin a request holds on it: what the KnowledgeBase facade reads through."""

from __future__ import annotations

from pathlib import Path

from kb.index.document_terms import DOCUMENT_TERMS_NAME, DocumentTerms
from kb.index.generations import DB_NAME, VECTORS_NAME, Manifest
from kb.index.keywords import open_keyword_scoring
from kb.index.lesson_pairs import LESSON_PAIRS_NAME, LessonPairs
from kb.index.store import Store
from kb.index.vectors import load_vector_index
from kb.problems import IndexUnavailableError
from kb.search import SearchConfig, Searcher


class Generation:
    """One opened index generation: its manifest, store, vectors and keyword scoring."""

    def __init__(self, path: Path, embedder_factory, config: SearchConfig, expansions):
        self.path = path
        self.manifest = Manifest.read(path)
        try:
            self.store = Store(path / DB_NAME, read_only=True)
            self.store.counts()  # SQLite opens lazily; touch it so damage shows up here
            self.keywords = open_keyword_scoring(self.manifest.keyword_index, path, self.store)
            self.vectors = load_vector_index(path / VECTORS_NAME)
            self.document_terms = DocumentTerms.load(path / DOCUMENT_TERMS_NAME)
            self.lesson_pairs = LessonPairs.load(path / LESSON_PAIRS_NAME)
        except IndexUnavailableError:
            raise  # says what to run
        except Exception as exc:  # sqlite3 and faiss raise their own types for damaged files
            raise IndexUnavailableError(
                f"{path}: the index is corrupt or unreadable ({exc})"
            ) from exc
        # Query with the model the index was built with, whatever the current settings say.
        embedder = embedder_factory(self.manifest)
        if embedder.dimension != self.manifest.dimension:
            raise IndexUnavailableError(
                f"{path}: built with dimension {self.manifest.dimension}, "
                f"but model {embedder.model!r} gives {embedder.dimension}"
            )
        self.searcher = Searcher(
            self.store, self.vectors, self.keywords, embedder, config, expansions
        )
        self.pins = 0  # requests reading this generation (KnowledgeBase.pinned)
        self.retired = False  # a newer generation is live

    def close(self) -> None:
        """Close its files: SQLite connections, the keyword postings' maps, the vectors."""
        self.store.close()
        self.vectors.close()
        self.keywords.close()
        if self.document_terms is not None:
            self.document_terms.close()


class Pin:
    """The generation one `pinned` block reads: taken at its first read."""

    generation: Generation | None = None
