"""What every format parser shares: the parse context, the result, text decoding."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from kb.documents.limits import MAX_PROBLEMS_PER_FILE, InputLimits
from kb.documents.mapping import Mapping
from kb.documents.records import build_document, default_id_for
from kb.documents.schema import KNOWN_FIELDS, SECTION_SPECS, Document, section_key_for_heading
from kb.problems import DocumentError, Problem

# Byte-order marks of the encodings besides UTF-8 that editors save text in (Windows Notepad's
# "Unicode" is UTF-16 LE). UTF-32 is tested first: its LE mark begins with UTF-16 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class ParseContext:
    path: str
    relative_path: str
    mapping: Mapping
    limits: InputLimits


@dataclass
class ParsedFile:
    """A file's documents and problems. Problems past `max_problems` are counted, not kept:
    a 20 MB JSONL file of `{}` lines would otherwise hold millions of them."""

    path: str
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    max_problems: int = MAX_PROBLEMS_PER_FILE
    unlisted: int = 0

    @classmethod
    def for_file(cls, ctx: ParseContext) -> ParsedFile:
        return cls(ctx.path, max_problems=ctx.limits.max_problems)

    @classmethod
    def failed(cls, path: str, message: str, line: int | None = None, field: str | None = None):
        return cls(path, [], [Problem(path, message, line=line, field=field)])

    def add_problem(self, message: str, line: int | None = None, field: str | None = None):
        self.keep_problem(Problem(self.path, message, line=line, field=field))

    def keep_problem(self, problem: Problem) -> None:
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)
            return
        # One closing entry counts the rest; it is an error as soon as one of them is.
        last = self.problems.pop() if self.unlisted else None
        self.unlisted += 1
        error = problem.is_error or (last is not None and last.is_error)
        self.problems.append(
            Problem(
                self.path,
                f"{self.unlisted:,} more problems in this file are not listed",
                severity="error" if error else "warning",
            )
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def add_record(
        self,
        ctx: ParseContext,
        record: dict,
        line: int | None,
        row: int | None,
        field_lines: dict[str, int] | None = None,
    ):
        """Map and validate one record; a bad record becomes a Problem, not an exception.

        field_lines: the line of each field where a format knows it (front matter).
        """
        try:
            mapped = ctx.mapping.apply(record)
            doc, warnings = build_document(
                mapped, ctx.path, default_id_for(ctx.relative_path, row), line, ctx.limits
            )
        except DocumentError as exc:
            where = (field_lines or {}).get(exc.field or "", line)
            self.keep_problem(exc.to_problem(ctx.path, where))
            return
        self.documents.append(doc)
        for warning in warnings:
            self.keep_problem(warning)


def decode_text(data: bytes, path: str) -> tuple[str, Problem | None]:
    """Text (UTF-8, or UTF-16/32 with a byte-order mark), or a Problem naming where it fails."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding:
        return _decode(data, encoding, path)
    if b"\x00" in data[:8192]:
        return "", Problem(path, "binary file (contains NUL bytes); expected UTF-8 text")
    return _decode(data, "utf-8-sig", path)


def _decode(data: bytes, encoding: str, path: str) -> tuple[str, Problem | None]:
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding == "utf-8-sig" else f"{encoding.upper()} text"
        return "", Problem(
            path,
            f"not valid {name}: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            line=_line_at(data, exc.start, encoding),
        )


def _line_at(data: bytes, offset: int, encoding: str) -> int:
    if encoding == "utf-8-sig":
        return data[:offset].count(b"\n") + 1
    head = data[:offset].decode(encoding, errors="replace")
    return head.count("\n") + 1


def lift_section_fields(record: dict, mapping: Mapping) -> dict:
    """Fields named after a section (`lesson`, `What went well`) become sections.

    Fields that are metadata, or that the mapping already uses, are left alone.
    """
    claimed = {str(src) for rule in (*mapping.sections.values(), *mapping.fields.values())
               for src in (rule if isinstance(rule, list) else [rule])}  # fmt: skip
    out: dict = {}
    raw = record.get("sections") or {}
    if not isinstance(raw, (dict, list)):
        return record  # build_document names the bad 'sections'
    sections = list(raw.items()) if isinstance(raw, dict) else list(raw)
    for name, value in record.items():
        clean = str(name).strip()
        key = None if clean in KNOWN_FIELDS or clean in claimed else _section_key(clean)
        if key:
            sections.append((key, value))
        elif name != "sections":
            out[clean] = value
    if sections or "sections" in record:
        out["sections"] = sections if sections else record["sections"]
    return out


def _section_key(name: str) -> str | None:
    return name if name in SECTION_SPECS else section_key_for_heading(name)
