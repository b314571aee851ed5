"""The generation an index run starts from: where it is, how it was written, and whether
its vectors can stay (the same model, run the same way) or every chunk is embedded again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from kb.documents.schema import SCHEMA_VERSION, UPGRADABLE_SCHEMA_VERSIONS
from kb.index.generations import DB_NAME, Manifest, current_generation
from kb.index.schema import MIGRATIONS
from kb.index.store import Store
from kb.problems import IndexUnavailableError
from models import Embedder
from models.lazy import LazyEmbedder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveGeneration:
    """``previous`` is None for a first build or a rebuild; ``model_change`` says why every
    vector must be recomputed (None: the vectors stay)."""

    previous: Path | None = None
    manifest: Manifest | None = None
    model_change: str | None = None

    @classmethod
    def find(cls, kb_dir: Path, rebuild: bool, embedder: Embedder) -> LiveGeneration:
        previous = None if rebuild else current_generation(kb_dir)
        if previous is None:
            return cls()
        manifest = Manifest.read(previous)
        _check_schema(manifest, kb_dir)
        return cls(previous, manifest, _model_change(manifest, embedder, kb_dir))

    def current_layout(self) -> bool:
        """True when the generation is written as this version writes one (else it is
        upgraded by the run)."""
        manifest = self.manifest
        return manifest is not None and (
            manifest.schema_version == SCHEMA_VERSION
            and manifest.keyword_index == "postings"
            and manifest.document_terms
            and manifest.lesson_pairs
            and _database_migrated(self.previous)
        )


def _database_migrated(generation: Path) -> bool:
    """True when the generation's database has had every migration (kb.index.schema): the
    run's writable copy applies the missing ones, which may ask for every file to be read."""
    store = Store(generation / DB_NAME, read_only=True)
    try:
        return store.db.version == len(MIGRATIONS)
    finally:
        store.close()


def _check_schema(manifest: Manifest, kb_dir: Path) -> None:
    if manifest.schema_version not in (SCHEMA_VERSION, *UPGRADABLE_SCHEMA_VERSIONS):
        raise IndexUnavailableError(
            f"{kb_dir} has index schema version {manifest.schema_version}, which this Lessonbase "
            f"(schema {SCHEMA_VERSION}) cannot upgrade: run `kb index --rebuild`."
        )


def _model_change(manifest: Manifest, embedder: Embedder, kb_dir: Path) -> str | None:
    """Why every vector must be recomputed (the model or how it runs changed), or None."""
    have = f"{manifest.embedder} model {manifest.model!r} ({manifest.backend})"
    if isinstance(embedder, LazyEmbedder) and not embedder.is_loaded:
        if _described(embedder) == have:  # the same model: no need to load it
            embedder.assume_dimension(manifest.dimension)
            return None
        embedder.load()  # as loaded it may describe itself otherwise (auto's fallback)
    wanted = _described(embedder)
    if have == wanted and manifest.dimension == embedder.dimension:
        return None
    message = (
        f"{kb_dir} was built with {have}; this run uses {wanted}. Vectors from different "
        f"models are never mixed, so every document is re-indexed and all "
        f"{manifest.counts.get('chunks', 0)} chunks are embedded again (a clean rebuild; "
        f"set KB_EMBEDDING_BACKEND={manifest.backend} and KB_MODEL={manifest.model} to keep "
        "the old vectors instead)."
    )
    log.warning(message)
    return message


def _described(embedder: Embedder) -> str:
    backend = getattr(embedder, "embedding_backend", "torch")
    return f"{embedder.backend} model {embedder.model!r} ({backend})"
