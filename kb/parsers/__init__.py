"""Parse source files of every supported format into Documents and Problems.

One module per format, each exposing `parse(text_or_bytes, ctx) -> ParsedFile`; the
`PARSERS` dict maps file suffixes to them.
"""

from __future__ import annotations

from pathlib import Path

from kb.mapping import IDENTITY, Mapping
from kb.parsers import csvfile, docxfile, jsonfile, markdown
from kb.parsers.base import ParseContext, ParsedFile, decode_text
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
    max_bytes: int = 20_000_000,
) -> ParsedFile:
    """Every document in one file, or the problems that kept them out. Never raises for bad input."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix not in PARSERS:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        return ParsedFile.failed(shown, f"unsupported file type '{suffix}'; supported: {supported}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return ParsedFile.failed(shown, f"file is {size:,} bytes; the limit is {max_bytes:,}")
        data = path.read_bytes()
    except OSError as exc:
        return ParsedFile.failed(shown, f"cannot read file: {exc.strerror or exc}")
    ctx = ParseContext(shown, relative_path, mapping)
    if suffix in BINARY_FORMATS:
        return PARSERS[suffix](data, ctx)
    text, problem = decode_text(data, shown)
    if problem:
        return ParsedFile(shown, [], [problem])
    return PARSERS[suffix](text, ctx)


__all__ = ["PARSERS", "SUPPORTED_SUFFIXES", "ParsedFile", "Problem", "parse_file"]
