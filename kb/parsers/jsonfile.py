"""JSON (one object or an array of objects) and JSONL (one object a line)."""

from __future__ import annotations

import json

from kb.parsers.base import ParseContext, ParsedFile, lift_section_fields


def parse_json(text: str, ctx: ParseContext) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return ParsedFile.failed(ctx.path, f"malformed JSON: {exc.msg}", line=exc.lineno)
    result = ParsedFile(ctx.path)
    if isinstance(data, dict):
        _add(result, ctx, data, line=None, row=None)
        return result
    if not isinstance(data, list):
        return ParsedFile.failed(ctx.path, "a JSON file must hold an object or an array of objects")
    for row, item in enumerate(data, start=1):
        _add(result, ctx, item, line=None, row=row)
    return result


def parse_jsonl(text: str, ctx: ParseContext) -> ParsedFile:
    result = ParsedFile(ctx.path)
    row = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            result.add_problem(f"malformed JSON: {exc.msg}", line=line_no)
            continue
        _add(result, ctx, item, line=line_no, row=row)
    if row == 0:
        return ParsedFile.failed(ctx.path, "empty file: no JSON records")
    return result


def _add(result: ParsedFile, ctx: ParseContext, item, line: int | None, row: int | None) -> None:
    if not isinstance(item, dict):
        where = f"record {row}" if row else "the file"
        result.add_problem(f"{where} is not a JSON object", line=line)
        return
    result.add_record(ctx, lift_section_fields(item, ctx.mapping), line=line, row=row)
