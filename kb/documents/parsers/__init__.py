"""Parse source files of every supported format into Documents and Problems.

One module per format, each exposing `parse(text_or_bytes, ctx) -> ParsedFile`; the
`PARSERS` dict maps file suffixes to them.
"""

from __future__ import annotations

from pathlib import Path

from kb.documents.limits import InputLimits, default_limits
from kb.documents.mapping import IDENTITY, Mapping
from kb.documents.parsers import csvfile, docxfile, jsonfile, markdown
from kb.documents.parsers.base import ParseContext, ParsedFile, decode_text
from kb.documents.parsers.reading import UnreadableSourceError, read_regular_file
from kb.problems import Problem

PARSERS = {
    ".md": markdown.parse,
    ".markdown": markdown.parse,
    ".json": jsonfile.parse_json,
    ".jsonl": jsonfile.parse_jsonl,
    ".csv": csvfile.parse,
    ".docx": docxfile.parse,
}
BINARY_FORMATS = {".docx"}
SUPPORTED_SUFFIXES = tuple(PARSERS)


def parse_file(
    path: Path,
    relative_path: str,
    mapping: Mapping = IDENTITY,
    limits: InputLimits | None = None,
) -> ParsedFile:
    """Every document in one file, or the problems that kept them out. Never raises for bad input."""
    limits = limits or default_limits()
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix not in PARSERS:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        return ParsedFile.failed(shown, f"unsupported file type '{suffix}'; supported: {supported}")
    try:
        data = read_regular_file(path, limits.max_file_bytes)
    except UnreadableSourceError as exc:
        return ParsedFile.failed(shown, exc.reason)
    ctx = ParseContext(shown, relative_path, mapping, limits)
    if suffix in BINARY_FORMATS:
        return PARSERS[suffix](data, ctx)
    text, problem = decode_text(data, shown)
    if problem:
        return ParsedFile(shown, [], [problem])
    if not text.strip():
        return ParsedFile.failed(shown, "empty file: it holds no text")
    return PARSERS[suffix](text, ctx)


__all__ = ["PARSERS", "SUPPORTED_SUFFIXES", "ParsedFile", "Problem", "parse_file"]
