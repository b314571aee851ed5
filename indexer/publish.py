"""Publishing contributions: standard-format Markdown files newly written under
KB_CONTRIBUTIONS_DIR become searchable at once, in a new generation of the live index.

Measured on the NASA index (1,292 lessons, real model), `run_index` on one new file took
11.6 s without glossary mining: 9.7 s loading the embedding model, 1.0 s writing the derived
indexes (0.5 s of it the lesson pairs), 0.02 s copying the 49 MB database, 0.05 s parsing.
Every derived index already follows the run's changes, so a publish runs that same job on
just the given files, with the model kept loaded between calls (`shared_embedder`) and the
glossary mined afterwards in the background (`indexer.publish_mining`): about a second.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.discover import Discovery, SourceFile
from indexer.pipeline import IndexJob, contributions_root
from indexer.publish_mining import mine_in_background
from indexer.validate import ChunkSizes, validate_paths
from kb.documents.limits import InputLimits
from kb.documents.mapping import IDENTITY
from kb.index.generations import DB_NAME
from kb.index.store import Store
from kb.problems import IndexUnavailableError, Problem
from kb.settings import Settings
from models import Embedder, create_embedder

__all__ = ["ContributionRefusedError", "PublishRun", "index_published", "shared_embedder"]

# A publish waits this long for a `kb index` run or other publishes to end: a full NASA
# build holds the lock for about 100 s on 2 shared cores.
LOCK_WAIT_SECONDS = 300.0
MAX_FILES = 100  # a publish is a handful of contributions; a folder is `kb index`'s job

_embedders: dict[tuple, Embedder] = {}
_embedders_lock = threading.Lock()


@dataclass(frozen=True)
class PublishRun:
    """What a publish did: its duration, the generation now live, and the ids of the
    documents the files hold."""

    seconds: float
    generation: str
    documents: list[str]


class ContributionRefusedError(ValueError):
    """A contribution the validator rejects; nothing was published. ``problems`` are the
    validator's, and the message lists them as `kb validate` does."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def index_published(
    paths: list[Path], settings: Settings, embedder: Embedder | None = None
) -> PublishRun:
    """Make the contributions at ``paths`` (files under the contributions folder)
    searchable in the live index, or refuse them all with the validator's problems.
    ``embedder``: by default the one publishes in this process share; never a server's
    query embedder (an index run sets its threads back to the default)."""
    started = time.perf_counter()
    files = contribution_files(paths, settings)
    refuse_invalid(files, settings)
    job = PublishJob(files, settings, embedder or shared_embedder(settings))
    report = job.run()
    if settings.glossary_mining and not report.generation_kept:
        mine_in_background(settings)
    return PublishRun(time.perf_counter() - started, report.generation, job.document_ids)


def contribution_files(paths: list[Path], settings: Settings) -> list[SourceFile]:
    """The files as the contributions folder's walk by `kb index` finds them (the same
    relative paths, hence the same ids); a path elsewhere or not a file is refused."""
    if not paths or len(paths) > MAX_FILES:
        raise ValueError(f"paths: give 1 to {MAX_FILES} contribution files, got {len(paths)}")
    root = contributions_root(settings).resolve()
    files = []
    for given in paths:
        path = Path(given).resolve()
        if root not in path.parents:
            raise ValueError(f"{given}: not under the contributions folder {root}")
        if not path.is_file():
            raise ValueError(f"{given}: no such file")
        files.append(SourceFile(path, str(given), path.relative_to(root).as_posix()))
    return sorted(files, key=lambda f: f.path)


def refuse_invalid(files: list[SourceFile], settings: Settings) -> None:
    """Check the files as `kb validate` does; their errors refuse the publish."""
    report = validate_paths(
        [f.path for f in files],
        IDENTITY,
        InputLimits.from_settings(settings),
        ChunkSizes.from_settings(settings),
    )
    if report.errors:
        raise ContributionRefusedError(report.errors)


def shared_embedder(settings: Settings) -> Embedder:
    """One embedder per model setting for the process: loading the model took 9.7 of the
    11.6 s a one-file index run took on NASA, so publishes after the first reuse it."""
    key = (
        settings.embedder,
        settings.model,
        settings.device,
        settings.embedding_backend,
        str(settings.models_cache),
    )
    with _embedders_lock:
        if key not in _embedders:
            _embedders[key] = create_embedder(
                *key[:3], embedding_backend=key[3], models_cache=settings.models_cache, lazy=True
            )
        return _embedders[key]


class PublishJob(IndexJob):
    """An index run over the given contribution files alone: nothing else is read or
    removed, the glossary is not mined (it follows in the background), and any problem
    with a file refuses the whole publish before its generation is written."""

    lock_wait = LOCK_WAIT_SECONDS

    def __init__(self, files: list[SourceFile], settings: Settings, embedder: Embedder):
        quiet = dataclasses.replace(settings, glossary_mining=False, progress=False)
        super().__init__([], quiet, IDENTITY, False, embedder)
        self.files = files
        self.document_ids: list[str] = []

    def discover(self) -> None:
        self.found = Discovery(self.files, [], [], [])
        self.plain_roots = [contributions_root(self.settings).resolve()]
        self.report.files_seen = len(self.files)

    def open_live(self) -> None:
        super().open_live()
        if self.live.previous is not None and (
            self.live.model_change or not self.live.current_layout()
        ):
            raise IndexUnavailableError(
                f"{self.kb_dir} was built by another model or version of Lessonbase: "
                "run `kb index` on it before publishing"
            )

    def _keep_live(self) -> None:
        """The files are indexed as they are already: the live generation stays."""
        super()._keep_live()
        store = Store(self.live.previous / DB_NAME, read_only=True)
        try:
            self._read_document_ids(store)
        finally:
            store.close()

    def parse(self) -> None:
        super().parse()
        if self.report.errors:  # a duplicate id claimed by another file, for one
            raise ContributionRefusedError(self.report.errors)
        self._read_document_ids(self.store)

    def _read_document_ids(self, store: Store) -> None:
        for source in self.files:
            self.document_ids += store.documents.ids_from(str(source.path))
