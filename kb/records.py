"""Turn a record (fields plus sections, from any file format) into a validated Document."""

from __future__ import annotations

import datetime as dt
import re

from kb.problems import DocumentError, Problem
from kb.schema import (
    DOC_TYPES,
    KNOWN_FIELDS,
    LIST_FIELDS,
    REQUIRED_FIELDS,
    SCALAR_FIELDS,
    SECTION_SPECS,
    Document,
    Section,
    normalize_heading,
    normalize_type,
    section_key_for_heading,
    slugify,
)

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%d %b %Y")
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")


def parse_date(value) -> dt.date:
    """A date from the forms people and exports write; raises ValueError naming the value."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{1,2}", text):
        year, month = text.split("-")
        return dt.date(int(year), int(month), 1)
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unparseable date {text!r}; write it as YYYY-MM-DD")


def build_document(
    record: dict, path: str, default_id: str, line: int | None = None
) -> tuple[Document, list[Problem]]:
    """Validate one record; raise DocumentError for the first blocking problem."""
    warnings: list[Problem] = []
    for name in REQUIRED_FIELDS:
        if _blank(record.get(name)):
            raise DocumentError(f"missing required field '{name}'", field=name)
        if str(record[name]).startswith("TODO"):
            raise DocumentError(f"field '{name}' still holds the `kb new` placeholder", field=name)
    doc_type = normalize_type(record["type"])
    if doc_type is None:
        raise DocumentError(
            f"unknown type {record['type']!r}; expected one of {', '.join(DOC_TYPES)}", field="type"
        )
    try:
        date = parse_date(record["date"])
    except ValueError as exc:
        raise DocumentError(str(exc), field="date") from None
    sections = _sections(record.get("sections"), path, line, warnings)
    if not any(s.text.strip() for s in sections):
        raise DocumentError("empty body: no section has any text", field="sections")
    doc = Document(
        id=_document_id(record.get("id"), default_id),
        title=_one_line(record["title"], "title"),
        type=doc_type,
        department=_one_line(record["department"], "department"),
        date=date,
        sections=sections,
        extra=_extra(record),
        source_path=path,
        source_line=line or 0,
    )
    for name in SCALAR_FIELDS:
        if name != "id" and not _blank(record.get(name)):
            setattr(doc, name, _one_line(record[name], name))
    for name in LIST_FIELDS:
        setattr(doc, name, _as_list(record.get(name)))
    return doc, warnings


def _sections(raw, path: str, line: int | None, warnings: list[Problem]) -> list[Section]:
    if raw is None:
        return []
    if not isinstance(raw, (dict, list)):
        raise DocumentError("'sections' must be an object or a list of sections", field="sections")
    merged: dict[str, Section] = {}
    for heading, text in _section_pairs(raw):
        heading = str(heading).strip()
        key = heading if heading in SECTION_SPECS else section_key_for_heading(heading)
        if key is None:
            key = slugify(heading).replace("-", "_")
            warnings.append(
                Problem(
                    path,
                    f"unrecognized section '{heading}' kept as is",
                    line,
                    "sections",
                    "warning",
                )
            )
        label = SECTION_SPECS[key].heading if key in SECTION_SPECS else heading
        text = _text(text)
        if key in merged:
            merged[key].text = f"{merged[key].text}\n\n{text}".strip()
        else:
            merged[key] = Section(key, label, text)
    return [s for s in merged.values() if s.text]


def _section_pairs(raw) -> list[tuple[str, object]]:
    if isinstance(raw, dict):
        return list(raw.items())
    pairs = []
    for item in raw:
        if isinstance(item, dict) and "text" in item:
            pairs.append((item.get("heading") or item.get("key") or "", item["text"]))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            pairs.append((item[0], item[1]))
        else:
            raise DocumentError(
                "each entry of 'sections' needs a heading and a text", field="sections"
            )
    return pairs


def _text(value) -> str:
    if isinstance(value, list):
        return "\n".join(f"- {item}" for item in value)
    return "" if value is None else str(value).strip()


def _document_id(given, default_id: str) -> str:
    if _blank(given):
        return default_id
    doc_id = str(given).strip()
    if not _ID_PATTERN.match(doc_id):
        raise DocumentError(
            f"id {doc_id!r} may use only letters, digits and . _ : - (no spaces or '/')", field="id"
        )
    return doc_id


def _one_line(value, name: str) -> str:
    if isinstance(value, (list, dict)):
        raise DocumentError(
            f"field '{name}' must be text, not a {type(value).__name__}", field=name
        )
    return re.sub(r"\s+", " ", str(value)).strip()


def _as_list(value) -> list[str]:
    if _blank(value):
        return []
    if isinstance(value, str):
        value = re.split(r"[;,]", value)
    elif not isinstance(value, list):
        value = [value]
    return list(dict.fromkeys(str(v).strip() for v in value if not _blank(v) and str(v).strip()))


def _extra(record: dict) -> dict:
    skip = {*KNOWN_FIELDS, "sections"}
    return {
        k: v if isinstance(v, (str, int, float, bool, list, dict)) or v is None else str(v)
        for k, v in record.items()
        if k not in skip and not _blank(v)
    }


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def default_id_for(relative_path: str, row: int | None = None) -> str:
    """A stable id from a file's path relative to its source root (and row, for multi-record files)."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", relative_path)
    base = slugify(stem)
    return f"{base}-row-{row}" if row is not None else base


__all__ = ["build_document", "default_id_for", "normalize_heading", "parse_date"]
