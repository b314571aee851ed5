"""Importing a glossary file: every row is checked first, and nothing is written unless all pass."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import TYPE_CHECKING

from kb.glossary.clock import Clock, timestamp, utc_now
from kb.glossary.errors import GlossaryError, ImportFailedError, ImportProblem
from kb.glossary.exchange import ImportRow, read_csv, read_json
from kb.glossary.fields import clean_fields, field_errors, key_error
from kb.glossary.model import ImportReport, Term, TermFields, User
from kb.glossary.service import require_editor

if TYPE_CHECKING:
    from kb.glossary.store import TermStore

FORMATS = {".csv": "csv", ".json": "json"}


@dataclass(frozen=True)
class CheckedRow:
    key: str
    fields: TermFields


def format_for(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FORMATS:
        raise GlossaryError(
            f"{filename}: import reads .csv or .json files, not {suffix or 'files without an extension'}"
        )
    return FORMATS[suffix]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailedError([ImportProblem(line, "", "the file is not UTF-8 text")]) from None


def parse(text: str, fmt: str) -> list[ImportRow]:
    rows, problems = read_csv(text) if fmt == "csv" else read_json(text)
    if problems:
        raise ImportFailedError(problems)
    return rows


def check_rows(rows: list[ImportRow], accepted_keys: set[str]) -> list[CheckedRow]:
    """Cleaned rows, or ImportFailedError listing every problem by line and field."""
    problems: list[ImportProblem] = []
    first_line: dict[str, int] = {}
    known = accepted_keys | {str(row.values.get("key") or "").strip() for row in rows}
    checked = []
    for row in rows:
        key = str(row.values.get("key") or "").strip()
        if message := key_error(key):
            problems.append(ImportProblem(row.line, "key", message))
        elif key in first_line:
            problems.append(
                ImportProblem(row.line, "key", f"{key!r} is also on line {first_line[key]}")
            )
        first_line.setdefault(key, row.line)
        fields = clean_fields(_fields(row.values))
        problems += [
            ImportProblem(row.line, name, message)
            for name, message in field_errors(fields, key, known).items()
        ]
        checked.append(CheckedRow(key, fields))
    if problems:
        raise ImportFailedError(problems)
    return checked


def _fields(values: dict) -> TermFields:
    return TermFields(
        label=values.get("label") or "",
        definition=values.get("definition") or "",
        acronym=values.get("acronym") or "",
        synonyms=tuple(values.get("synonyms") or ()),
        related=tuple(values.get("related") or ()),
        owner=values.get("owner") or "",
        status=values.get("status") or "draft",
    )


def apply_rows(
    terms: TermStore, user: User, rows: list[CheckedRow], clock: Clock = utc_now
) -> ImportReport:
    """Write every row in one transaction: new terms, changed terms, and count the unchanged."""
    require_editor(user)
    report = ImportReport([], [], [])
    now = timestamp(clock())
    with terms.transaction() as conn:
        for row in rows:
            current = terms.get(row.key, conn)
            wanted = Term(key=row.key, **row.fields.__dict__, decision="accepted")
            if current is not None and _same(current, wanted):
                report.unchanged.append(row.key)
                continue
            version = max(current.version if current else 0, terms.last_version(row.key, conn)) + 1
            new = replace(wanted, version=version, updated_at=now, updated_by=user.name)
            terms.save(conn, current, new, "import")
            (report.updated if current else report.created).append(row.key)
    return report


def _same(current: Term, wanted: Term) -> bool:
    keep = {
        "version": current.version,
        "updated_at": current.updated_at,
        "updated_by": current.updated_by,
    }
    return replace(wanted, **keep) == current


def import_bytes(
    terms: TermStore, user: User, data: bytes, filename: str, clock: Clock = utc_now
) -> ImportReport:
    """Parse, check and write a .csv or .json glossary file."""
    require_editor(user)
    fmt = format_for(filename)
    rows = parse(decode(data), fmt)
    accepted = {term.key for term in terms.accepted()}
    return apply_rows(terms, user, check_rows(rows, accepted), clock)
