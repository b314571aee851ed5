"""What every format parser shares: the parse context, the result, text decoding."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.mapping import Mapping
from kb.problems import DocumentError, Problem
from kb.records import build_document, default_id_for
from kb.schema import KNOWN_FIELDS, SECTION_SPECS, Document, section_key_for_heading


@dataclass(frozen=True)
class ParseContext:
    path: str
    relative_path: str
    mapping: Mapping


@dataclass
class ParsedFile:
    path: str
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def failed(cls, path: str, message: str, line: int | None = None, field: str | None = None):
        return cls(path, [], [Problem(path, message, line=line, field=field)])

    def add_problem(self, message: str, line: int | None = None, field: str | None = None):
        self.problems.append(Problem(self.path, message, line=line, field=field))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def add_record(self, ctx: ParseContext, record: dict, line: int | None, row: int | None):
        """Map and validate one record; a bad record becomes a Problem, not an exception."""
        try:
            mapped = ctx.mapping.apply(record)
            doc, warnings = build_document(
                mapped, ctx.path, default_id_for(ctx.relative_path, row), line
            )
        except DocumentError as exc:
            self.problems.append(exc.to_problem(ctx.path, line))
            return
        self.documents.append(doc)
        self.problems.extend(warnings)


def decode_text(data: bytes, path: str) -> tuple[str, Problem | None]:
    """UTF-8 text, or a Problem naming the line of the first bad byte."""
    if b"\x00" in data[:8192]:
        return "", Problem(path, "binary file (contains NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", Problem(
            path, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}", line=line
        )


def lift_section_fields(record: dict, mapping: Mapping) -> dict:
    """Fields named after a section (`lesson`, `What went well`) become sections.

    Fields that are metadata, or that the mapping already uses, are left alone.
    """
    claimed = {str(src) for rule in (*mapping.sections.values(), *mapping.fields.values())
               for src in (rule if isinstance(rule, list) else [rule])}  # fmt: skip
    out: dict = {}
    raw = record.get("sections") or {}
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
