"""CSV: one document a row; columns are fields or section names."""

from __future__ import annotations

import csv
import io

from kb.parsers.base import ParseContext, ParsedFile, lift_section_fields


def parse(text: str, ctx: ParseContext) -> ParsedFile:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    result = ParsedFile(ctx.path)
    if not reader.fieldnames:
        return ParsedFile.failed(ctx.path, "empty CSV file: no header row", line=1)
    try:
        for row_number, row in enumerate(reader, start=1):
            line = reader.line_num
            if None in row:
                result.add_problem("row has more cells than the header has columns", line=line)
                continue
            result.add_record(ctx, lift_section_fields(row, ctx.mapping), line=line, row=row_number)
    except csv.Error as exc:
        result.add_problem(f"malformed CSV: {exc}", line=reader.line_num)
    return result
