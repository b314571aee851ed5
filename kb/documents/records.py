"""Turn a record (fields plus sections, from any file format) into a validated Document.

Every value is checked for its type and bounded before it is worked on (InputLimits): a
field's length before whitespace is squeezed out of it, the number of sections before their
headings are looked up. Anything refused is a DocumentError naming the field.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from kb.access import LEVEL_ALIASES, LEVELS, normalize_sensitivity
from kb.documents.lifecycle import (
    DEFAULT_STATUS,
    EVIDENCE_FIELD,
    EVIDENCE_SECTION,
    check_evidence,
    check_status,
)
from kb.documents.limits import InputLimits, default_limits
from kb.documents.record_values import (
    as_list,
    blank,
    extra_fields,
    item_text,
    one_line,
    scalar_text,
    shown,
    title_text,
)
from kb.documents.schema import (
    DOC_TYPES,
    LIST_FIELDS,
    REQUIRED_FIELDS,
    SCALAR_FIELDS,
    SECTION_SPECS,
    Document,
    Section,
    normalize_heading,
    normalize_type,
    section_key_for_heading,
)
from kb.problems import DocumentError, Problem
from kb.text import slug

UNTITLED = "untitled"  # the id and section key of text with no letter or digit
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%d %b %Y")
_MAX_DATE_CHARS = 64  # the longest form above, or an ISO timestamp, is half that
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_BLANK_LINES = re.compile(r"\n\s*\n")  # what separates two paragraphs of text


def parse_date(value) -> dt.date:
    """A date from the forms people and exports write; raises ValueError naming the value."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    date = _date_from_text(text) if len(text) <= _MAX_DATE_CHARS else None
    if date is None:
        raise ValueError(f"unparseable date {shown(text)}; write it as YYYY-MM-DD")
    return date


def _date_from_text(text: str) -> dt.date | None:
    try:
        if re.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 1, 1)
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = text.split("-")
            return dt.date(int(year), int(month), 1)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def build_document(
    record: dict,
    path: str,
    default_id: str,
    line: int | None = None,
    limits: InputLimits | None = None,
) -> tuple[Document, list[Problem]]:
    """Validate one record; raise DocumentError for the first blocking problem."""
    limits = limits or default_limits()
    warnings: list[Problem] = []
    texts = _required_texts(record, limits)
    doc_type = normalize_type(texts["type"])
    if doc_type is None:
        raise DocumentError(
            f"unknown type {shown(texts['type'])}; expected one of {', '.join(DOC_TYPES)}",
            field="type",
        )
    date = _date(record["date"], limits)
    sections = _sections(record.get("sections"), path, line, warnings, limits)
    doc = Document(
        id=_document_id(record.get("id"), default_id, limits),
        title=texts["title"],
        type=doc_type,
        department=texts["department"],
        date=date,
        sections=sections,
        extra=extra_fields(record, limits),
        source_path=path,
        source_line=line or 0,
    )
    for name in SCALAR_FIELDS:
        if name != "id" and not blank(record.get(name)):
            setattr(doc, name, one_line(record[name], name, limits))
    for name in LIST_FIELDS:
        setattr(doc, name, as_list(record.get(name), name, limits))
    _access_fields(doc, record, limits)
    _lifecycle_status(doc)
    return doc, warnings


def _lifecycle_status(doc: Document) -> None:
    """`status` as a lifecycle state (kb.documents.lifecycle); one that declares none is
    DEFAULT_STATUS (docs/formats.md), and `lesson-learned` needs evidence."""
    doc.status = check_status(doc.status) if doc.status else DEFAULT_STATUS
    has_section = doc.section(EVIDENCE_SECTION) is not None
    check_evidence(doc.status, has_section, doc.extra.get(EVIDENCE_FIELD))


def _access_fields(doc: Document, record: dict, limits: InputLimits) -> None:
    """`sensitivity` as one of the levels (left empty when missing: the reader's
    KB_DEFAULT_SENSITIVITY applies) and `audience` as a list, which the access filter reads."""
    if doc.sensitivity:
        level = normalize_sensitivity(doc.sensitivity)
        if level is None:
            known = ", ".join([*LEVELS, *LEVEL_ALIASES])
            raise DocumentError(
                f"unknown sensitivity {shown(doc.sensitivity)}; expected one of {known}",
                field="sensitivity",
            )
        doc.sensitivity = level
    if not blank(record.get("audience")):
        doc.extra["audience"] = as_list(record["audience"], "audience", limits)


def _required_texts(record: dict, limits: InputLimits) -> dict[str, str]:
    texts = {}
    for name in REQUIRED_FIELDS:
        if blank(record.get(name)):
            raise DocumentError(f"missing required field '{name}'", field=name)
        if name == "date":
            continue
        texts[name] = (
            title_text(record[name], limits)
            if name == "title"
            else one_line(record[name], name, limits)
        )
        if texts[name].startswith("TODO"):
            raise DocumentError(f"field '{name}' still holds the `kb new` placeholder", field=name)
    return texts


def _date(value, limits: InputLimits) -> dt.date:
    if not isinstance(value, dt.date):
        value = scalar_text(value, "date", limits)
    try:
        return parse_date(value)
    except ValueError as exc:
        raise DocumentError(str(exc), field="date") from None


def _sections(
    raw, path: str, line: int | None, warnings: list[Problem], limits: InputLimits
) -> list[Section]:
    if raw is None:
        raw = []
    if not isinstance(raw, (dict, list)):
        raise DocumentError("'sections' must be an object or a list of sections", field="sections")
    if len(raw) > limits.max_sections:
        raise DocumentError(
            f"document has {len(raw):,} sections; the limit is {limits.max_sections:,}",
            field="sections",
        )
    merged: dict[str, tuple[str, list[str]]] = {}
    total = 0
    for heading, value in _section_pairs(raw):
        key, label = _section_key(heading, path, line, warnings, limits)
        text = _text(value, label)
        total += len(text)
        _check_document_chars(total, limits)
        merged.setdefault(key, (label, []))[1].append(text)
    sections = [Section(key, label, "\n\n".join(t for t in texts if t).strip())
                for key, (label, texts) in merged.items()]  # fmt: skip
    sections = [s for s in sections if s.text]
    if not sections:
        raise DocumentError("empty body: no section has any text", field="sections")
    _check_body(sections, limits)
    return sections


def _section_key(
    heading, path: str, line: int | None, warnings: list[Problem], limits: InputLimits
) -> tuple[str, str]:
    """(canonical key, heading shown) of a section; unknown headings are kept, with a warning."""
    heading = scalar_text(heading, "sections", limits).strip()
    if len(heading) > limits.max_title_chars:
        raise DocumentError(
            f"a section heading is {len(heading):,} characters; the limit is "
            f"{limits.max_title_chars:,}",
            field="sections",
        )
    key = heading if heading in SECTION_SPECS else section_key_for_heading(heading)
    if key is None:
        warnings.append(
            Problem(
                path, f"unrecognized section '{heading}' kept as is", line, "sections", "warning"
            )
        )
        return slug(heading, default=UNTITLED).replace("-", "_"), heading
    return key, SECTION_SPECS[key].heading


def _section_pairs(raw) -> list[tuple[object, object]]:
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


def _text(value, heading: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(f"- {_section_item(item, heading)}" for item in value)
    return _section_item(value, heading).strip()


def _section_item(value, heading: str) -> str:
    return item_text(value, "sections", f"section {shown(heading)}")


def _check_document_chars(count: int, limits: InputLimits) -> None:
    if count > limits.max_document_chars:
        raise DocumentError(
            f"document text is more than {limits.max_document_chars:,} characters (the limit)",
            field="sections",
        )


def _check_body(sections: list[Section], limits: InputLimits) -> None:
    """The whole text within max_document_chars, its paragraphs within max_paragraphs."""
    _check_document_chars(sum(len(s.text) + 2 for s in sections) - 2, limits)
    limit = limits.max_paragraphs
    gaps = (itertools.islice(_BLANK_LINES.finditer(s.text), limit + 1) for s in sections)
    paragraphs = len(sections) + sum(sum(1 for _ in found) for found in gaps)
    if paragraphs > limit:
        raise DocumentError(
            f"document has more than {limit:,} paragraphs (blocks of text between blank lines)",
            field="sections",
        )


def _document_id(given, default_id: str, limits: InputLimits) -> str:
    if blank(given):
        return default_id
    doc_id = one_line(given, "id", limits)
    if len(doc_id) > limits.max_title_chars or not _ID_PATTERN.match(doc_id):
        raise DocumentError(
            f"id {shown(doc_id)} may use only letters, digits and . _ : - (no spaces or '/'), "
            f"at most {limits.max_title_chars:,} of them",
            field="id",
        )
    return doc_id


def default_id_for(relative_path: str, row: int | None = None) -> str:
    """A stable id from a file's path relative to its source root (and row, for multi-record files)."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", relative_path)
    base = slug(stem, default=UNTITLED)
    return f"{base}-row-{row}" if row is not None else base


__all__ = ["build_document", "default_id_for", "normalize_heading", "parse_date"]
