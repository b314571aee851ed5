"""A DOCX read into the contribution form's fields, in the upload worker (web/upload_worker.py):
the DOCX parser's own reading (docx_record), with headings matched to the schema's sections.
Nothing is validated here: the author completes the form, and saving validates it."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.documents.limits import InputLimits
from kb.documents.parsers.docx_reader import DocxError, read_docx
from kb.documents.parsers.docxfile import docx_record
from kb.documents.schema import KNOWN_FIELDS, LIST_FIELDS, normalize_type, section_key_for_heading

BODY_SECTION = "summary"  # text before the first heading


@dataclass(frozen=True)
class Prefill:
    """The fields found (as the form's record), or why the file could not be read."""

    record: dict = field(default_factory=dict)
    refusal: str = ""


def prefill_from_docx(data: bytes, limits: InputLimits) -> Prefill:
    """Runs in the worker process: returns data (DocxError does not cross it)."""
    try:
        raw = docx_record(read_docx(data, limits), BODY_SECTION)
    except DocxError as exc:
        return Prefill(refusal=str(exc))
    record = {name: raw[name] for name in KNOWN_FIELDS if raw.get(name) and name != "id"}
    for name in LIST_FIELDS:
        if isinstance(record.get(name), str):
            record[name] = [part.strip() for part in record[name].split(",") if part.strip()]
    record["type"] = normalize_type(str(record.get("type", ""))) or ""
    record["sections"] = _sections(raw["sections"])
    return Prefill({k: v for k, v in record.items() if v})


def _sections(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Known headings by their key; text under others joins the summary, its heading kept."""
    sections: dict[str, list[str]] = {}
    for heading, text in pairs:
        key = section_key_for_heading(heading) or BODY_SECTION
        kept = text if key != BODY_SECTION or heading == BODY_SECTION else f"{heading}\n\n{text}"
        sections.setdefault(key, []).append(kept)
    return {key: "\n\n".join(parts).strip() for key, parts in sections.items()}
