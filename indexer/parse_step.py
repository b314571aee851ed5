"""The parse step of an index run: which files changed, and their documents, chunked,
replacing the stored ones in the run's copy of the database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from indexer.discover import Discovery, SourceFile, under_roots
from indexer.report import IndexRun
from indexer.validate import ChunkSizes, chunk_documents, reject_duplicate_ids
from kb.documents.chunking import Chunk
from kb.documents.limits import InputLimits
from kb.documents.mapping import IDENTITY, Mapping
from kb.documents.parsers import ParsedFile, parse_file
from kb.documents.parsers.reading import UnreadableSourceError, read_regular_file
from kb.index.sources import SourceRecord
from kb.index.store import Store
from kb.settings import Settings


def indexed_as_is(old: SourceRecord | None, digest: str | None) -> bool:
    """True when the index holds a file's current bytes, parsed without errors (a file with
    errors is read again on every run, to report them)."""
    return bool(old and digest and old.content_hash == digest and not old.has_errors)


@dataclass(frozen=True)
class SourceMappings:
    """The run's mapping, except for files under ``plain_roots`` (published contributions,
    written in the standard format), which are read as they are."""

    mapping: Mapping
    plain_roots: list[Path] = field(default_factory=list)

    def of(self, path: Path) -> Mapping:
        return IDENTITY if under_roots(str(path), self.plain_roots) else self.mapping


class ParseStep:
    """Brings the run's copy of the database (``store``) in line with the files, one file at a
    time (parsed, then chunked), and records what changed in ``report``."""

    def __init__(
        self, store: Store, settings: Settings, mappings: SourceMappings, report: IndexRun
    ):
        self.store, self.settings, self.mappings, self.report = store, settings, mappings, report
        self.limits = InputLimits.from_settings(settings)
        self.chunk_sizes = ChunkSizes.from_settings(settings)

    def remove_vanished(self, found: Discovery) -> None:
        """Files that were indexed under the given roots but are gone at the source."""
        present = {str(f.path) for f in found.files}
        for path in self.store.sources.all():
            if path not in present and under_roots(path, found.roots):
                self.report.documents_removed += len(self.store.documents.ids_from(path))
                self.store.delete_source(path)

    def index_files(
        self, files: list[SourceFile], digests: dict[str, str | None], reparse_all: bool = False
    ) -> dict[str, str]:
        """Parse and store changed files (all with reparse_all); {chunk hash: text to embed}."""
        pending: dict[str, str] = {}
        known = self.store.sources.all()
        owners = self.store.documents.sources()
        bar = tqdm(files, desc="parse", unit="file", disable=quiet(self.settings), leave=False)
        for source in bar:
            old = known.get(str(source.path))
            if indexed_as_is(old, digests[str(source.path)]) and not reparse_all:
                self.report.files_unchanged += 1
                continue
            pending.update(self._index_file(source, digests[str(source.path)], old, owners))
        self.store.commit()
        return pending

    def parse(self, source: SourceFile) -> ParsedFile:
        mapping = self.mappings.of(source.path)
        return parse_file(source.path, source.relative, mapping, self.limits)

    def chunk(self, parsed: ParsedFile) -> dict[str, list[Chunk]]:
        return chunk_documents(parsed, self.chunk_sizes, self.limits.max_chunks)

    def _index_file(
        self,
        source: SourceFile,
        digest: str | None,
        old: SourceRecord | None,
        owners: dict[str, str],
    ) -> dict[str, str]:
        """One new or changed file's documents stored; {chunk hash: text to embed}."""
        key = str(source.path)
        parsed = self.parse(source)
        reject_duplicate_ids(parsed, key, owners)
        texts, documents_changed = _replace_documents(self.store, parsed, key, self.chunk(parsed))
        owners.update({d.id: key for d in parsed.documents})
        source_record = (digest or "unreadable", bool(parsed.errors))
        if not old or (old.content_hash, old.has_errors) != source_record:
            # A broken file read again as it was: no write, so nothing new to publish.
            self.store.sources.set(key, *source_record)
        self.report.problems.extend(parsed.problems)
        self.report.documents_indexed += documents_changed
        self.report.files_indexed += bool(parsed.documents)
        return texts


def file_digests(
    files: list[SourceFile], mappings: SourceMappings, max_bytes: int
) -> dict[str, str | None]:
    """{path: digest of its bytes and its mapping} (None: unreadable or too large)."""
    return {str(f.path): _file_digest(f.path, mappings.of(f.path), max_bytes) for f in files}


def _file_digest(path: Path, mapping: Mapping, max_bytes: int) -> str | None:
    try:
        data = read_regular_file(path, max_bytes)
    except UnreadableSourceError:
        return None
    return hashlib.sha256(data + mapping.fingerprint.encode()).hexdigest()


def _replace_documents(
    store: Store, parsed: ParsedFile, key: str, chunked: dict[str, list[Chunk]]
) -> tuple[dict[str, str], int]:
    """New versions replace old ones; while a file has errors its other old documents stay.

    A document the file holds exactly as stored (one record of many edited in a JSONL or CSV
    file) stays as it is: {chunk hash: text to embed} of the others, and how many there are.
    """
    new_ids = {d.id for d in parsed.documents}
    old_ids = set(store.documents.ids_from(key))
    changed = []
    for doc in parsed.documents:
        doc.source_path = key
        chunks = chunked[doc.id]
        if doc.id not in old_ids or not store.holds(doc, chunks):
            changed.append((doc, chunks))
    kept_ids = new_ids - {doc.id for doc, _ in changed}
    stale = [i for i in old_ids - kept_ids if i in new_ids or not parsed.errors]
    store.delete_documents(sorted(stale))
    texts = {}
    for doc, chunks in changed:
        store.add_document(doc, chunks)
        texts.update({c.content_hash: c.embed_text for c in chunks})
    return texts, len(changed)


def quiet(settings: Settings) -> bool | None:
    # None lets tqdm hide the bar when stderr is not a terminal (CI logs, pipes).
    return True if not settings.progress else None
