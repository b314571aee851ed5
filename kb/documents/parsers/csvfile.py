"""CSV: one document a row; columns are fields or section names."""

from __future__ import annotations

import csv
import io

from kb.documents.parsers.base import ParseContext, ParsedFile, lift_section_fields


def parse(text: str, ctx: ParseContext) -> ParsedFile:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    result = ParsedFile.for_file(ctx)
    rows = read_to = 0  # rows read, and the last line they took
    try:
        if not reader.fieldnames:
            return ParsedFile.failed(ctx.path, "empty CSV file: no header row", line=1)
        read_to = reader.line_num
        for rows, row in enumerate(reader, start=1):
            read_to = line = reader.line_num
            if None in row:
                result.add_problem("row has more cells than the header has columns", line=line)
                continue
            result.add_record(ctx, lift_section_fields(row, ctx.mapping), line=line, row=rows)
    except csv.Error as exc:
        # The record after the last one read: csv's line count may not include it yet.
        result.add_problem(f"malformed CSV: {exc}", line=read_to + 1)
    if rows == 0 and not result.problems:
        result.add_problem("the CSV file has a header row but no rows of records", line=1)
    return result
