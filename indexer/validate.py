"""`kb validate`: every problem the indexer would report, without writing an index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from indexer.discover import discover
from kb.documents.chunking import Chunk, chunk_document
from kb.documents.limits import InputLimits, default_limits
from kb.documents.mapping import IDENTITY, Mapping
from kb.documents.parsers import ParsedFile, parse_file
from kb.problems import Problem
from kb.settings import Settings


@dataclass
class ValidationReport:
    files: int = 0
    documents: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ChunkSizes:
    """How documents are cut into chunks: `kb validate` counts them as `kb index` cuts them."""

    words: int
    overlap_words: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ChunkSizes:
        return cls(settings.chunk_words, settings.chunk_overlap_words)


def validate_paths(
    paths: list[str | Path],
    mapping: Mapping = IDENTITY,
    limits: InputLimits | None = None,
    chunk_sizes: ChunkSizes | None = None,
) -> ValidationReport:
    """``limits`` and ``chunk_sizes``: those of the default settings unless given."""
    limits = limits or default_limits()
    chunk_sizes = chunk_sizes or ChunkSizes.from_settings(Settings())
    found = discover(paths)
    report = ValidationReport(files=len(found.files))
    report.problems += [Problem(m, "no such file or folder") for m in found.missing]
    report.problems += found.skipped_problems
    owners: dict[str, str] = {}
    for source in found.files:
        parsed = parse_file(source.path, source.relative, mapping, limits)
        reject_duplicate_ids(parsed, source.shown, owners)
        chunk_documents(parsed, chunk_sizes, limits.max_chunks)
        owners.update({doc.id: source.shown for doc in parsed.documents})
        report.documents += len(parsed.documents)
        report.problems += parsed.problems
    return report


def reject_duplicate_ids(parsed: ParsedFile, source: str, owners: dict[str, str]) -> None:
    """Keep the first document to claim an id; later claimants get an error naming the first."""
    kept, seen = [], set()
    for doc in parsed.documents:
        owner = owners.get(doc.id)
        if doc.id in seen or (owner is not None and owner != source):
            where = "earlier in this file" if doc.id in seen else f"already used by {owner}"
            parsed.add_problem(
                f"duplicate id '{doc.id}': {where}", line=doc.source_line or None, field="id"
            )
            continue
        seen.add(doc.id)
        kept.append(doc)
    parsed.documents = kept


def chunk_documents(
    parsed: ParsedFile, sizes: ChunkSizes, max_chunks: int
) -> dict[str, list[Chunk]]:
    """Each document's chunks by id. A document that would make more than ``max_chunks``
    is rejected before anything is embedded: one document must not cost an unbounded
    share of an index run (at 180 words a chunk, 2,000 chunks are a 360,000-word text)."""
    chunked, kept = {}, []
    for doc in parsed.documents:
        chunks = chunk_document(doc, sizes.words, sizes.overlap_words)
        if len(chunks) > max_chunks:
            parsed.add_problem(
                f"document '{doc.id}' would make {len(chunks):,} chunks; the limit is "
                f"{max_chunks:,} (KB_MAX_CHUNKS)",
                line=doc.source_line or None,
            )
            continue
        chunked[doc.id] = chunks
        kept.append(doc)
    parsed.documents = kept
    return chunked
