"""JSON (one object or an array of objects) and JSONL (one object a line)."""

from __future__ import annotations

from kb.documents.parsers.base import ParseContext, ParsedFile, lift_section_fields
from kb.documents.parsers.json_guard import JsonInputError, array_items, loads


def parse_json(text: str, ctx: ParseContext) -> ParsedFile:
    result = ParsedFile.for_file(ctx)
    try:
        if text.lstrip(" \t\r\n").startswith("["):
            _add_array(result, ctx, text)
        else:
            _add_object(result, ctx, loads(text, ctx.limits.max_depth))
    except JsonInputError as exc:
        result.add_problem(exc.message, line=exc.line, field=exc.field)
    return result


def _add_array(result: ParsedFile, ctx: ParseContext, text: str) -> None:
    """Elements one at a time: each record gets its line, and broken JSON keeps those before."""
    row = 0
    for row, (line, item) in enumerate(array_items(text, ctx.limits.max_depth), start=1):
        _add(result, ctx, item, line=line, row=row)
    if row == 0:
        result.add_problem("the JSON array holds no records", line=1)


def _add_object(result: ParsedFile, ctx: ParseContext, data) -> None:
    if isinstance(data, dict):
        _add(result, ctx, data, line=None, row=None)
    else:
        result.add_problem("a JSON file must hold an object or an array of objects")


def parse_jsonl(text: str, ctx: ParseContext) -> ParsedFile:
    result = ParsedFile.for_file(ctx)
    row = 0
    # Lines end at "\n" only: a JSON string may hold U+2028, which str.splitlines() splits at.
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        row += 1
        try:
            item = loads(line, ctx.limits.max_depth)
        except JsonInputError as exc:
            result.add_problem(exc.message, line=line_no, field=exc.field)
            continue
        _add(result, ctx, item, line=line_no, row=row)
    if row == 0:
        return ParsedFile.failed(ctx.path, "empty file: no JSON records")
    return result


def _add(result: ParsedFile, ctx: ParseContext, item, line: int | None, row: int | None) -> None:
    if isinstance(item, JsonInputError):  # an array element holding NaN or Infinity
        result.add_problem(item.message, line=item.line, field=item.field)
        return
    if not isinstance(item, dict):
        where = f"record {row}" if row else "the file"
        result.add_problem(f"{where} is not a JSON object", line=line)
        return
    result.add_record(ctx, lift_section_fields(item, ctx.mapping), line=line, row=row)
