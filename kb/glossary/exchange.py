"""The glossary as CSV and JSON, and reading both back as rows to import.

CSV columns: key,label,definition,acronym,synonyms,related,owner,status, with list fields
joined by " | ". A cell a spreadsheet would run as a formula (starting with =, +, -, @, a tab
or a carriage return) is written with a leading apostrophe, which the import removes again:
exporting, importing the file and exporting again gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from itertools import accumulate

from kb.glossary.errors import ImportProblem
from kb.glossary.model import LIST_SEPARATOR, Term
from kb.text.spreadsheet import starts_like_formula

COLUMNS = ("key", "label", "definition", "acronym", "synonyms", "related", "owner", "status")
LIST_COLUMNS = ("synonyms", "related")
JSON_FORMAT = "lessonbase-glossary"
MAX_JSON_DEPTH = 32  # {"terms": [{"synonyms": [...]}]} needs 4


@dataclass(frozen=True)
class ImportRow:
    """One term read from a file, before validation: where it was and its raw values."""

    line: int
    values: dict  # column -> str (lists: list[str])


def term_record(term: Term) -> dict:
    return {
        "key": term.key,
        "label": term.label,
        "definition": term.definition,
        "acronym": term.acronym,
        "synonyms": list(term.synonyms),
        "related": list(term.related),
        "owner": term.owner,
        "status": term.status,
    }


def to_csv(terms: list[Term]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for term in sorted(terms, key=lambda t: t.key):
        record = term_record(term)
        writer.writerow([_cell(record[column]) for column in COLUMNS])
    return out.getvalue()


def _cell(value) -> str:
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else value
    return "'" + text if _is_formula(text) else text


def _is_formula(text: str) -> bool:
    """Starts like a formula, perhaps behind apostrophes ("'=x" stays apart from "=x")."""
    return starts_like_formula(text.lstrip("'"))


def _uncell(text: str) -> str:
    """The value an exported cell stands for: one neutralizing apostrophe removed."""
    return text[1:] if text.startswith("'") and _is_formula(text) else text


def to_json(terms: list[Term]) -> str:
    records = [term_record(term) for term in sorted(terms, key=lambda t: t.key)]
    payload = {"format": JSON_FORMAT, "version": 1, "terms": records}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def read_csv(text: str) -> tuple[list[ImportRow], list[ImportProblem]]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], [ImportProblem(1, "", "the file is empty; expected a header row")]
    problems = _header_problems([name.strip() for name in header])
    if problems:
        return [], problems
    rows, line = [], reader.line_num + 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append(_csv_row(line, [name.strip() for name in header], record, problems))
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(ImportProblem(line, "", f"not valid CSV ({exc})"))
    return rows, problems


def _header_problems(header: list[str]) -> list[ImportProblem]:
    missing = [name for name in ("key", "label") if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    doubled = sorted({name for name in header if header.count(name) > 1})
    problems = [ImportProblem(1, name, "required column is missing") for name in missing]
    problems += [
        ImportProblem(1, name, f"unknown column; expected {', '.join(COLUMNS)}") for name in unknown
    ]
    return problems + [ImportProblem(1, name, "column appears twice") for name in doubled]


def _csv_row(line: int, header: list[str], record: list[str], problems: list) -> ImportRow:
    if len(record) != len(header):
        problems.append(
            ImportProblem(line, "", f"{len(record)} cells, the header has {len(header)}")
        )
    values: dict = dict(zip(header, map(_uncell, record), strict=False))
    for column in LIST_COLUMNS:
        cell = values.get(column, "")
        values[column] = [item.strip() for item in cell.split("|") if item.strip()]
    return ImportRow(line, values)


def read_json(text: str) -> tuple[list[ImportRow], list[ImportProblem]]:
    depth = nesting_depth(text)
    if depth > MAX_JSON_DEPTH:
        message = f"nested {depth} levels deep; a glossary needs at most {MAX_JSON_DEPTH}"
        return [], [ImportProblem(1, "", message)]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [ImportProblem(exc.lineno, "", f"not valid JSON ({exc.msg})")]
    items = data.get("terms") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return [], [ImportProblem(1, "terms", 'expected a list of terms or {"terms": [...]}')]
    lines = _item_lines(text, len(items))
    rows, problems = [], []
    for item, line in zip(items, lines, strict=True):
        if not isinstance(item, dict):
            problems.append(ImportProblem(line, "", "each term must be an object"))
            continue
        problems += _json_type_problems(line, item)
        rows.append(ImportRow(line, item))
    return rows, problems


def _json_type_problems(line: int, item: dict) -> list[ImportProblem]:
    problems = [
        ImportProblem(line, name, f"unknown field; expected {', '.join(COLUMNS)}")
        for name in item
        if name not in COLUMNS
    ]
    for name in COLUMNS:
        value, wanted_list = item.get(name), name in LIST_COLUMNS
        if value is None:
            continue
        if wanted_list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problems.append(ImportProblem(line, name, "must be a list of strings"))
        elif not wanted_list and not isinstance(value, str):
            problems.append(ImportProblem(line, name, "must be a string"))
    return problems


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest, outside strings, in linear time.

    json.loads recurses once per level and ends in RecursionError near 1,000 levels.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


_TERMS_ARRAY = re.compile(r'(?<!\\)"terms"\s*:\s*\[')


def _item_lines(text: str, count: int) -> list[int]:
    """The line on which each element of the terms array starts (1 when it cannot be told)."""
    stripped = text.lstrip()
    match = None if stripped.startswith("[") else _TERMS_ARRAY.search(text)
    position = text.index("[") + 1 if match is None else match.end()
    decoder, lines, line, counted = json.JSONDecoder(), [], 1, 0
    for _ in range(count):
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        line += text.count("\n", counted, position)  # from the last item on: linear, not n²
        lines.append(line)
        counted = position
        try:
            _, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return lines + [1] * (count - len(lines))
    return lines
