"""DOCX: `Field: value` lines before the first heading, then each heading starts a section."""

from __future__ import annotations

import io
import re
import zipfile

from kb.parsers.base import ParseContext, ParsedFile
from kb.schema import KNOWN_FIELDS

_FIELD_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]{1,30}):\s*(.+)$")


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return ParsedFile.failed(ctx.path, "not a DOCX file (a DOCX is a zip archive)")
    import docx  # lazy: python-docx pulls in lxml, needed only for DOCX files

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a damaged package
        return ParsedFile.failed(ctx.path, f"damaged DOCX file: {exc}")
    record = _core_properties(document)
    sections: list[tuple[str, list[str]]] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        if not text:
            continue
        if style == "title":
            record["title"] = text
        elif style.startswith("heading"):
            sections.append((text, []))
        elif not sections and _field_line(text):
            name, value = _field_line(text)
            record[name] = value
        else:
            bullet = "- " if "list" in style else ""
            if not sections:
                sections.append((ctx.mapping.body_section, []))
            sections[-1][1].append(bullet + text)
    record["sections"] = [(heading, "\n".join(lines)) for heading, lines in sections]
    result = ParsedFile(ctx.path)
    result.add_record(ctx, record, line=None, row=None)
    return result


def _field_line(text: str) -> tuple[str, str] | None:
    match = _FIELD_LINE.match(text)
    if not match:
        return None
    name = match.group(1).strip().lower().replace(" ", "_")
    return (name, match.group(2).strip()) if name in KNOWN_FIELDS else None


def _core_properties(document) -> dict:
    props = document.core_properties
    record: dict = {}
    if props.title:
        record["title"] = props.title
    if props.author:
        record["authors"] = [props.author]
    if props.keywords:
        record["tags"] = props.keywords
    return record
