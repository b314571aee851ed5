"""A contribution's document: checked by the validator every index run uses (build_document
and the Markdown parser), and written as a standard-format Markdown file.

The record is the JSON the API takes and the form builds: the fields of the document model,
`sections` as {section key or heading: text} and `related` as a list of document ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from kb.access import LEVELS
from kb.contributions.model import ContributionError
from kb.documents.limits import InputLimits
from kb.documents.mapping import IDENTITY
from kb.documents.parsers import markdown
from kb.documents.parsers.base import ParseContext
from kb.documents.records import build_document
from kb.documents.schema import (
    DOC_TYPES,
    KNOWN_FIELDS,
    LIST_FIELDS,
    SECTION_SPECS,
    Document,
    normalize_type,
)
from kb.problems import DocumentError

RECORD_FIELDS = (*KNOWN_FIELDS, "sections", "related", "audience")
MAX_RELATED = 20
# The front matter's order in the written file: what a reader looks for first.
FRONT_ORDER = ("id", "title", "type", "department", "date", "project", "phase", "status",
               "sensitivity", "audience", "authors", "participants", "tags", "url", "related")  # fmt: skip


def form_sections(doc_type: str) -> tuple[str, ...]:
    """The sections the form offers for a type: its own, after a summary, with Actions for
    every type (a lesson's actions are followed through on /actions too)."""
    own = DOC_TYPES[doc_type].sections
    return ("summary", *own, *(() if "actions" in own else ("actions",)))


@dataclass(frozen=True)
class CheckedDocument:
    record: dict  # the record as stored: known fields only, sections by key
    document: Document


def check_record(record, doc_id: str, limits: InputLimits) -> CheckedDocument:
    """The record validated as `kb index` validates a file, plus what a contribution must
    say explicitly (its sensitivity); ContributionError naming the field otherwise."""
    if not isinstance(record, dict):
        raise ContributionError("document", "must be a JSON object of fields and sections")
    unknown = [str(name) for name in record if name not in RECORD_FIELDS]
    if unknown:
        raise ContributionError(
            unknown[0][:80], f"unknown field; known: {', '.join(RECORD_FIELDS)}"
        )
    clean = {k: v for k, v in record.items() if k != "id" and v not in (None, "", [], {})}
    if not str(clean.get("sensitivity", "")).strip():
        raise ContributionError("sensitivity", f"choose one of {', '.join(LEVELS)}")
    clean["related"] = _related(clean.get("related", []))
    try:
        document, _warnings = build_document(
            {**clean, "id": doc_id}, "document", doc_id, None, limits
        )
    except DocumentError as exc:
        raise ContributionError(exc.field or "document", str(exc)) from None
    clean["type"] = document.type
    clean["date"] = document.date.isoformat()
    clean["sections"] = {s.key: s.text for s in document.sections}
    return CheckedDocument(clean, document)


def _related(value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContributionError("related", "must be a list of document ids")
    if len(value) > MAX_RELATED:
        raise ContributionError("related", f"at most {MAX_RELATED} linked documents")
    return list(dict.fromkeys(v.strip()[:200] for v in value if v.strip()))


def doc_type_of(record) -> str:
    """The record's type as the schema names it ('' when it names none the schema knows)."""
    raw = record.get("type", "") if isinstance(record, dict) else ""
    return normalize_type(raw) or "" if isinstance(raw, str) else ""


def to_markdown(record: dict, doc_id: str) -> str:
    """The standard format (docs/formats.md): YAML front matter, then `## Heading` sections."""
    meta = {"id": doc_id}
    for name in FRONT_ORDER[1:]:
        value = record.get(name)
        if value not in (None, "", []):
            meta[name] = list(value) if name in (*LIST_FIELDS, "related", "audience") else value
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100).strip()
    body = [f"## {_heading(key)}\n\n{text.strip()}\n" for key, text in record["sections"].items()]
    return f"---\n{front}\n---\n\n" + "\n".join(body)


def _heading(key: str) -> str:
    return SECTION_SPECS[key].heading if key in SECTION_SPECS else key.replace("_", " ").title()


def check_file_text(text: str, path: str, relative: str, limits: InputLimits) -> Document:
    """The Markdown file as `kb index` will read it; ContributionError if it would not index."""
    parsed = markdown.parse(text, ParseContext(path, relative, IDENTITY, limits))
    if parsed.errors or len(parsed.documents) != 1:
        problem = parsed.errors[0] if parsed.errors else None
        field = (problem.field if problem else None) or "document"
        raise ContributionError(field, problem.message if problem else "no document in the file")
    return parsed.documents[0]


def today() -> str:
    return dt.date.today().isoformat()
