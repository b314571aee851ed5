"""`kb index`: bring an index in sync with its sources, writing a new generation atomically.

`IndexJob` runs the phases in order: discover the files; check them against the live
generation (when nothing changed the run ends there, having read the live database without
copying it); copy that database into a temp generation; parse and chunk what changed; embed
new chunk texts while glossary mining runs beside; write the derived indexes; publish.
"""

from __future__ import annotations

import fcntl
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from indexer.contested import rank_contested_terms
from indexer.discover import Discovery, under_roots
from indexer.discover import discover as find_sources
from indexer.live_generation import LiveGeneration
from indexer.parse_step import (
    ParseStep,
    SourceMappings,
    file_digests,
    indexed_as_is,
    quiet,
)
from indexer.people import names_wanted, read_person_names
from indexer.report import IndexRun
from indexer.terms.step import GlossaryStep
from kb.contributions.service import contributions_root
from kb.documents.mapping import IDENTITY, Mapping
from kb.index.generations import (
    DB_NAME,
    new_temp_generation,
    next_generation_number,
    remove_stale_temps,
)
from kb.index.generations import publish as publish_generation
from kb.index.sources import SourceRecord
from kb.index.store import Store
from kb.problems import IndexUnavailableError, Problem
from kb.settings import Settings
from models import Embedder, create_embedder

# Two modules are imported where they are used, the run's only imports inside functions: a
# run that changes nothing needs neither the generation writer nor the mining cache, nor the
# numpy and faiss they import (numpy's import alone was a fifth of such a run as a command).
# The glossary-mining modules that bring spaCy (and, through thinc, torch) are imported by
# the glossary step only when it mines.

__all__ = ["IndexJob", "IndexRun", "contributions_root", "index_lock", "run_index"]

LOCK_POLL_SECONDS = 0.05  # a publish holds the lock about a second: poll well below that


def run_index(
    paths: list[str | Path],
    settings: Settings,
    mapping: Mapping = IDENTITY,
    rebuild: bool = False,
    embedder: Embedder | None = None,
) -> IndexRun:
    """Index the files under ``paths`` into ``settings.kb_dir``; what the run did."""
    return IndexJob(paths, settings, mapping, rebuild, embedder).run()


@contextmanager
def index_lock(kb_dir: Path, wait: float = 0.0):
    """Hold KB_DIR/.lock, the one writer of generations; waiting up to ``wait`` seconds for
    another run (or publish) to end, else an error saying so."""
    kb_dir.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    with open(kb_dir / ".lock", "w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexUnavailableError(
                        f"another `kb index` or a publish is writing {kb_dir}; try again when it ends"
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
        yield


class IndexJob:
    """One index run: its inputs, its working state and a method per phase; ``report`` is
    what it did (`run` returns it)."""

    # Seconds to wait for another writer: a publish holds the lock about a second, storing
    # mined candidates after publishes some 5 s on NASA; another `kb index` run, minutes.
    lock_wait = 30.0

    def __init__(
        self,
        paths: list[str | Path],
        settings: Settings,
        mapping: Mapping = IDENTITY,
        rebuild: bool = False,
        embedder: Embedder | None = None,
    ):
        self.paths, self.settings, self.mapping, self.rebuild = paths, settings, mapping, rebuild
        self.kb_dir = Path(settings.kb_dir)
        self.embedder = embedder
        self.report = IndexRun()
        self.found = Discovery([], [], [], [])
        self.digests: dict[str, str | None] = {}  # {path: digest of its bytes and the mapping}
        self.live = LiveGeneration()
        self.temp: Path | None = None  # the generation being built
        self.store: Store | None = None  # its database
        self.pending: dict[str, str] = {}  # {chunk hash: text to embed} of changed documents
        self.glossary: GlossaryStep | None = None
        self.plain_roots: list[Path] = []  # roots read without the mapping (contributions)

    def run(self) -> IndexRun:
        started = time.perf_counter()
        self.discover()
        self.embedder = self.embedder or self._lazy_embedder()
        with index_lock(self.kb_dir, self.lock_wait):
            self.open_live()
            if self.check():
                self.report.files_unchanged = len(self.found.files)
                self._keep_live()
            else:
                self.build()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def discover(self) -> None:
        """The source files under the paths, and the published contributions (first, so
        their ids derive from their place in that folder); missing and skipped entries
        become warnings."""
        contributions = contributions_root(self.settings)
        extra = [contributions] if contributions.is_dir() else []
        self.found = found = find_sources([*extra, *self.paths])
        self.plain_roots = [r for r in found.roots if r == contributions.resolve()]
        if found.missing and not found.roots:
            raise FileNotFoundError(f"no such file or folder: {', '.join(found.missing)}")
        self.report.files_seen, self.report.skipped = len(found.files), found.skipped
        self.report.problems += [Problem(m, "no such file or folder") for m in found.missing]
        self.report.problems += found.skipped_problems

    def open_live(self) -> None:
        """Under the lock: clear what killed runs left, and find the generation to start from."""
        remove_stale_temps(self.kb_dir)  # no other run is writing
        if self.rebuild:
            from indexer.terms.cache import clear_mining_cache

            clear_mining_cache(self.kb_dir)  # a clean rebuild parses every document again
        self.live = LiveGeneration.find(self.kb_dir, self.rebuild, self.embedder)

    def check(self) -> bool:
        """True when the live generation already holds every file as it is now (none new,
        none changed, none with errors to report again, none gone) and is written the current
        way. Checked on the live database, read-only, before it is copied: an unchanged run of
        a million-chunk index would otherwise copy 7 GB to find nothing to do."""
        with self.phase("check"):
            files = self.found.files
            self.digests = file_digests(files, self._mappings(), self.settings.max_file_bytes)
            if self.live.model_change or not self.live.current_layout():
                return False
            known = _live_sources(self.live.previous)
            if not all(indexed_as_is(known.get(p), d) for p, d in self.digests.items()):
                return False
            if names_wanted(self.settings) and _live_names_unread(self.live.previous):
                return False
            return not any(
                p not in self.digests and under_roots(p, self.found.roots) for p in known
            )

    def build(self) -> None:
        """Bring a copy of the live database in sync with the files, in a temp generation;
        publish it unless it changed nothing. A failure leaves no temp generation behind."""
        self.temp = new_temp_generation(self.kb_dir)
        try:
            self.copy()
            self.parse()
            self.embed_and_mine()
            if self._changed_nothing():
                self.store.close()
                shutil.rmtree(self.temp, ignore_errors=True)
                return self._keep_live()
            number = next_generation_number(self.kb_dir)
            self.write(number)
        except BaseException:
            shutil.rmtree(self.temp, ignore_errors=True)  # never a half-built generation left
            raise
        self.publish(number)

    def copy(self) -> None:
        """A writable copy of the live database (or a new one), inside the temp generation."""
        self.report.rebuilt_because = self.live.model_change
        with self.phase("copy"):
            target = self.temp / DB_NAME
            if self.live.previous is not None:
                # A published generation is never written again (readers open it read-only,
                # with no journal), so its file is a whole database: the kernel copies it
                # (sendfile) 3-7 times as fast as SQLite's page-by-page backup (575 MB at
                # 100k chunks: 0.25 s).
                shutil.copyfile(self.live.previous / DB_NAME, target)
            self.store = Store(target)
            if self.live.model_change:
                self.store.embeddings.forget()

    def parse(self) -> None:
        """Remove what vanished; parse and chunk new and changed files (every file after a
        model change, whose pending texts are then every chunk, other sources' included)."""
        with self.phase("parse"):
            step = ParseStep(self.store, self.settings, self._mappings(), self.report)
            step.remove_vanished(self.found)
            reparse_all = self.live.model_change is not None
            self.pending = step.index_files(self.found.files, self.digests, reparse_all)
            if reparse_all:
                self.pending = self.store.chunks.embedding_texts()

    def embed_and_mine(self) -> None:
        """Embed the chunk texts with no stored vector and mine the glossary; a child still
        mining when embedding fails is ended."""
        missing = _missing_embeddings(self.store, self.pending)
        self.start_mining(len(missing))
        try:
            self.embed(missing)
            self.read_names()
            self.mine()
        finally:
            if self.glossary is not None:
                self.report.glossary_background_seconds = self.glossary.stop()

    def start_mining(self, missing: int) -> None:
        """When documents changed: mining starts, in a child process while this one embeds
        the ``missing`` chunks, or (few to mine) in this one after embedding."""
        report = self.report
        first = self.live.previous is None
        changed = report.documents_indexed or report.documents_removed or first
        if self.settings.glossary_mining and changed:
            self.glossary = GlossaryStep.start(self.store, self.kb_dir, self.embedder, missing)

    def embed(self, missing: list[str]) -> None:
        """Embed the ``missing`` chunks of the pending texts (`_missing_embeddings`).

        While glossary mining runs in a child the model gets one core, spaCy the other: two
        model threads on a shared core wait for each other at every step (measured on NASA:
        embedding took 2.7 times as long beside the mining process)."""
        self.report.chunks_embedded = len(missing)
        self.report.chunks_reused = len(self.pending) - len(missing)
        background = self.glossary.background if self.glossary else None
        step = max(1, self.settings.batch_size)
        with self.phase("embed"), tqdm(
            total=len(missing), desc="embed", unit="chunk", disable=quiet(self.settings), leave=False
        ) as bar:  # fmt: skip
            for start in range(0, len(missing), step * 4):
                batch = missing[start : start + step * 4]
                self.embedder.use_threads(1 if background and background.running() else None)
                vectors = self.embedder.encode([self.pending[h] for h in batch], batch_size=step)
                self.store.embeddings.put(batch, vectors)
                bar.update(len(batch))
            self.embedder.use_threads(None)
            self.store.embeddings.prune()
            self.store.commit()

    def read_names(self) -> None:
        """The person names of the documents not read for them yet (`indexer.people`), on
        the core embedding has freed while a child may still be mining."""
        if names_wanted(self.settings):
            with self.phase("names"):
                read, problem = read_person_names(self.store)
            self.report.person_names_read = read
            self.report.problems += [problem] if problem else []

    def mine(self) -> None:
        """Store the glossary candidates (waiting for a child still mining), and rank the
        contested ones."""
        if self.glossary is not None:
            with self.phase("glossary"):
                self.glossary.finish(self.store, self.report)
            with self.phase("contested"):
                rank_contested_terms(self.store, self.report)

    def write(self, number: int) -> None:
        """The derived indexes and the manifest of generation ``number``; closes the store."""
        with self.phase("write"):
            from indexer.generation_writer import write_generation

            live = self.live
            basis = None if live.model_change else (live.previous, live.manifest)  # new vectors
            written = write_generation(self.store, self.temp, self.embedder, number, basis)
            self.report.chunks_total = written.counts["chunks"]
            self.report.documents_total = written.counts["documents"]

    def publish(self, number: int) -> None:
        """The new generation becomes the live one, atomically; readers switch on their own."""
        self.report.generation = str(publish_generation(self.kb_dir, self.temp, number))

    @contextmanager
    def phase(self, name: str):
        """Time one step of the run (reported by the summary and the benchmarks)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            seconds = self.report.phase_seconds
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started

    def _changed_nothing(self) -> bool:
        """True when the run changed no row of the live generation's database, and that
        generation was written the way this version writes one: publishing would copy it."""
        return not self.store.changed and self.live.current_layout()

    def _keep_live(self) -> None:
        """Nothing to publish: the live generation stays, and the report gives its counts."""
        counts = self.live.manifest.counts
        self.report.chunks_total, self.report.documents_total = (
            counts["chunks"],
            counts["documents"],
        )
        self.report.generation, self.report.generation_kept = str(self.live.previous), True

    def _mappings(self) -> SourceMappings:
        return SourceMappings(self.mapping, self.plain_roots)

    def _lazy_embedder(self) -> Embedder:
        settings = self.settings
        return create_embedder(
            settings.embedder,
            settings.model,
            settings.device,
            embedding_backend=settings.embedding_backend,
            models_cache=settings.models_cache,
            lazy=True,  # a run with nothing new to embed never loads the model
        )


def _live_sources(previous: Path) -> dict[str, SourceRecord]:
    """The sources the live database records, read without writing it."""
    store = Store(previous / DB_NAME, read_only=True)
    try:
        return store.sources.all()
    finally:
        store.close()


def _live_names_unread(previous: Path) -> bool:
    """Whether the live database has documents not read for person names (all of them in
    one written before names were stored)."""
    store = Store(previous / DB_NAME, read_only=True)
    try:
        return bool(store.person_names.unread())
    finally:
        store.close()


def _missing_embeddings(store: Store, pending: dict[str, str]) -> list[str]:
    """The hashes of ``pending`` chunk texts with no stored vector (unchanged text reuses
    its vector), shortest first: each batch then holds texts of about one length, and the
    model pads a batch to its longest text (length order embedded NASA's chunks 10% faster)."""
    hashes = list(pending)
    missing = set(hashes) - store.embeddings.known(hashes)
    return sorted(missing, key=lambda h: (len(pending[h]), h))
