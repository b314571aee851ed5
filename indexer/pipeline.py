"""`kb index`: bring an index in sync with its sources, writing a new generation atomically."""

from __future__ import annotations

import fcntl
import logging
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from indexer.background_mining import BackgroundMining
from indexer.discover import Discovery, SkippedFile, discover, under_roots
from indexer.glossary_step import GlossaryStep
from indexer.parse_step import file_digests, index_files, indexed_as_is, quiet, remove_vanished
from kb.index_dir import (
    Manifest,
    current_generation,
    new_temp_generation,
    next_generation_number,
    publish,
    remove_stale_temps,
)
from kb.mapping import IDENTITY, Mapping
from kb.problems import IndexUnavailableError, Problem
from kb.schema import SCHEMA_VERSION, UPGRADABLE_SCHEMA_VERSIONS
from kb.settings import Settings
from kb.store import DB_NAME, Store
from models import Embedder, create_embedder
from models.lazy import LazyEmbedder

# The glossary mining modules are imported where they are used: they bring spaCy (and, through
# thinc, torch) along, and the glossary-mining process, which re-imports the module that
# started the index run, must not pay for either just to import this one. The generation
# writer is imported when a generation is written: a run that changes nothing needs neither
# it nor numpy and faiss, whose imports were a fifth of that run's time as a command.

log = logging.getLogger(__name__)


@dataclass
class IndexRun:
    """What one `kb index` run did; printed as its summary and returned to callers."""

    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    documents_indexed: int = 0
    documents_removed: int = 0
    chunks_total: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    documents_total: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)  # also among the warnings
    seconds: float = 0.0
    generation: str = ""
    generation_kept: bool = False  # nothing changed: the live generation stays
    glossary_candidates: int | None = None  # None: not re-mined (no document changed)
    glossary_texts_parsed: int = 0  # by spaCy; the other documents' counts were cached
    glossary_documents_reused: int = 0
    glossary_rows_kept: int = 0  # stored candidate rows kept, only re-scored
    glossary_background_seconds: float | None = None  # mining beside embedding: start to end
    rebuilt_because: str | None = None  # set when a model or backend change re-embedded all
    phase_seconds: dict[str, float] = field(default_factory=dict)
    store: Store | None = field(default=None, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @contextmanager
    def phase(self, name: str):
        """Time one step of the run (reported by the summary and the benchmarks)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phase_seconds[name] = (
                self.phase_seconds.get(name, 0.0) + time.perf_counter() - started
            )

    @property
    def rejected_files(self) -> set[str]:
        return {p.path for p in self.errors}


@contextmanager
def index_lock(kb_dir: Path):
    kb_dir.mkdir(parents=True, exist_ok=True)
    with open(kb_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexUnavailableError(
                f"another `kb index` is writing {kb_dir}; try again when it ends"
            ) from None
        yield


def run_index(
    paths: list[str | Path],
    settings: Settings,
    mapping: Mapping = IDENTITY,
    rebuild: bool = False,
    embedder: Embedder | None = None,
) -> IndexRun:
    started = time.perf_counter()
    kb_dir = Path(settings.kb_dir)
    found = discover(paths)
    if found.missing and not found.roots:
        raise FileNotFoundError(f"no such file or folder: {', '.join(found.missing)}")
    embedder = embedder or create_embedder(
        settings.embedder,
        settings.model,
        settings.device,
        embedding_backend=settings.embedding_backend,
        models_cache=settings.models_cache,
        lazy=True,  # a run with nothing new to embed never loads the model
    )
    with index_lock(kb_dir):
        remove_stale_temps(kb_dir)  # what killed runs left: no other run is writing
        if rebuild:
            from indexer.mining_cache import clear_mining_cache

            clear_mining_cache(kb_dir)  # a clean rebuild parses every document again
        previous, manifest, model_change = _live_generation(kb_dir, rebuild, embedder)
        run = IndexRun(files_seen=len(found.files), skipped=found.skipped)
        run.problems += [Problem(m, "no such file or folder") for m in found.missing]
        run.problems += found.skipped_problems
        with run.phase("check"):
            digests = file_digests(found.files, mapping, settings.max_file_bytes)
            untouched = _nothing_to_do(previous, manifest, model_change, found, digests)
        if untouched:
            run.files_unchanged = len(found.files)
            return _kept_summary(previous, manifest, run, started)
        temp = new_temp_generation(kb_dir)
        try:
            _build(run, previous, temp, found, mapping, settings, embedder, model_change, digests)
            if _same_as(manifest, run):
                return _kept(previous, manifest, run, temp, started)
            number = next_generation_number(kb_dir)
            with run.phase("write"):
                from indexer.generation_writer import write_generation  # numpy, faiss: lazily

                live = None if model_change else (previous, manifest)  # new vectors: all anew
                written = write_generation(run.store, temp, embedder, number, live)
                run.chunks_total = written.counts["chunks"]
                run.documents_total = written.counts["documents"]
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)  # never leave a half-built generation behind
            raise
        run.generation = str(publish(kb_dir, temp, number))
    run.seconds = time.perf_counter() - started
    return run


def _live_generation(
    kb_dir: Path, rebuild: bool, embedder: Embedder
) -> tuple[Path | None, Manifest | None, str | None]:
    """The live generation (None for a first build or a rebuild), its manifest, and why every
    vector must be recomputed (None: the vectors stay)."""
    previous = None if rebuild else current_generation(kb_dir)
    if previous is None:
        return None, None, None
    manifest = Manifest.read(previous)
    _check_schema(manifest, kb_dir)
    return previous, manifest, _model_change(manifest, embedder, kb_dir)


def _same_as(manifest: Manifest | None, run: IndexRun) -> bool:
    """True when the run changed no row of the live generation's database, and that
    generation (described by ``manifest``) was written the way this version writes one:
    publishing would copy it."""
    if manifest is None or run.store.conn.total_changes:
        return False
    return _current_layout(manifest)


def _current_layout(manifest: Manifest) -> bool:
    """True when the generation is written as this version writes one (else it is upgraded)."""
    return manifest.schema_version == SCHEMA_VERSION and manifest.keyword_index == "postings"


def _nothing_to_do(
    previous: Path | None,
    manifest: Manifest | None,
    model_change: str | None,
    found: Discovery,
    digests: dict[str, str | None],
) -> bool:
    """True when the live generation already holds every file as it is now (none new, none
    changed, none with errors to report again, none gone) and is written the current way.

    Checked on the live database, read-only, before it is copied: an unchanged run of a
    million-chunk index would otherwise copy 7 GB to find nothing to do."""
    if manifest is None or model_change or not _current_layout(manifest):
        return False
    store = Store(previous / DB_NAME, read_only=True)
    try:
        known = store.sources()
    finally:
        store.close()
    if not all(indexed_as_is(known.get(path), digest) for path, digest in digests.items()):
        return False
    return not any(path not in digests and under_roots(path, found.roots) for path in known)


def _kept(
    previous: Path, manifest: Manifest, run: IndexRun, temp: Path, started: float
) -> IndexRun:
    """Leave the live generation in place: nothing to publish."""
    run.store.close()
    shutil.rmtree(temp, ignore_errors=True)
    return _kept_summary(previous, manifest, run, started)


def _kept_summary(previous: Path, manifest: Manifest, run: IndexRun, started: float) -> IndexRun:
    counts = manifest.counts
    run.chunks_total, run.documents_total = counts["chunks"], counts["documents"]
    run.generation, run.generation_kept = str(previous), True
    run.seconds = time.perf_counter() - started
    return run


def _build(
    run: IndexRun,
    previous: Path | None,
    temp: Path,
    found: Discovery,
    mapping: Mapping,
    settings: Settings,
    embedder: Embedder,
    model_change: str | None,
    digests: dict[str, str | None],
) -> None:
    """Bring a copy of the live database (in ``temp``) in sync with the files; ``run`` records
    what changed and holds the store."""
    run.rebuilt_because = model_change
    with run.phase("copy"):
        run.store = _open_copy(previous, temp)
        if model_change:
            run.store.forget_embeddings()
    with run.phase("parse"):
        remove_vanished(run.store, found, run)
        reparse_all = model_change is not None
        pending = index_files(run.store, found.files, digests, mapping, settings, run, reparse_all)
        if model_change:  # every chunk, including other sources' documents kept in the index
            pending = run.store.chunk_embedding_texts()
    missing = _missing_embeddings(run.store, pending)
    changed = run.documents_indexed or run.documents_removed or previous is None
    glossary = None
    if settings.glossary_mining and changed:
        glossary = GlossaryStep.start(run.store, Path(settings.kb_dir), embedder, len(missing))
    try:
        with run.phase("embed"):
            background = glossary.background if glossary else None
            _embed_missing(run.store, embedder, pending, missing, settings, run, background)
        if glossary is not None:
            with run.phase("glossary"):  # with a child process: waiting for it
                glossary.finish(run.store, run)
    finally:
        if glossary is not None:
            run.glossary_background_seconds = glossary.stop()


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


def _open_copy(previous: Path | None, temp: Path) -> Store:
    """A writable copy of the live database (or a new one), inside the temp generation."""
    target = temp / DB_NAME
    if previous is not None:
        # A published generation is never written again (readers open it read-only, with no
        # journal), so its file is a whole database: the kernel copies it (sendfile) 3-7
        # times as fast as SQLite's page-by-page backup (575 MB at 100k chunks: 0.25 s).
        shutil.copyfile(previous / DB_NAME, target)
    return Store(target)


def _missing_embeddings(store: Store, pending: dict[str, str]) -> list[str]:
    """The hashes of ``pending`` chunk texts with no stored vector (unchanged text reuses
    its vector), shortest first: each batch then holds texts of about one length, and the
    model pads a batch to its longest text (length order embedded NASA's chunks 10% faster)."""
    hashes = list(pending)
    missing = set(hashes) - store.known_embeddings(hashes)
    return sorted(missing, key=lambda h: (len(pending[h]), h))


def _embed_missing(
    store: Store,
    embedder: Embedder,
    pending: dict[str, str],
    missing: list[str],
    settings: Settings,
    run: IndexRun,
    background: BackgroundMining | None = None,
) -> None:
    """Embed the ``missing`` chunks of ``pending`` (`_missing_embeddings`).

    While glossary mining runs in `background` the model gets one core, spaCy the other:
    two model threads on a shared core wait for each other at every step (measured on NASA:
    embedding took 2.7 times as long beside the mining process).
    """
    run.chunks_embedded = len(missing)
    run.chunks_reused = len(pending) - len(missing)
    step = max(1, settings.batch_size)
    bar = tqdm(total=len(missing), desc="embed", unit="chunk", disable=quiet(settings), leave=False)
    with bar:
        for start in range(0, len(missing), step * 4):
            batch = missing[start : start + step * 4]
            embedder.use_threads(1 if background and background.running() else None)
            vectors = embedder.encode([pending[h] for h in batch], batch_size=step)
            store.put_embeddings(batch, vectors)
            bar.update(len(batch))
    embedder.use_threads(None)
    store.prune_embeddings()
    store.commit()
