"""`kb validate`: every problem the indexer would report, without writing an index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from indexer.discover import discover
from kb.limits import InputLimits
from kb.mapping import IDENTITY, Mapping
from kb.parsers import ParsedFile, parse_file
from kb.problems import Problem


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


def validate_paths(
    paths: list[str | Path], mapping: Mapping = IDENTITY, limits: InputLimits | None = None
) -> ValidationReport:
    found = discover(paths)
    report = ValidationReport(files=len(found.files))
    report.problems += [Problem(m, "no such file or folder") for m in found.missing]
    report.problems += found.skipped_problems
    owners: dict[str, str] = {}
    for source in found.files:
        parsed = parse_file(source.path, source.relative, mapping, limits)
        reject_duplicate_ids(parsed, source.shown, owners)
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
