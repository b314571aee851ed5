"""DOCX: `Field: value` lines before the first heading, then each heading starts a section."""

from __future__ import annotations

import re

from kb.documents.parsers.base import ParseContext, ParsedFile
from kb.documents.parsers.docx_reader import DocxContent, DocxError, read_docx
from kb.documents.schema import KNOWN_FIELDS

_FIELD_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]{1,30}):\s*(.+)$")


def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
    try:
        content = read_docx(data, ctx.limits)
    except DocxError as exc:
        return ParsedFile.failed(ctx.path, str(exc))
    record = docx_record(content, ctx.mapping.body_section)
    result = ParsedFile.for_file(ctx)
    result.add_record(ctx, record, line=None, row=None)
    return result


def docx_record(content: DocxContent, body_section: str) -> dict:
    """The fields and sections a DOCX holds, not yet validated (a form pre-fills from it)."""
    record = _core_properties(content)
    sections: list[tuple[str, list[str]]] = []
    for paragraph in content.paragraphs:
        text = paragraph.text.strip()
        style = paragraph.style.lower()
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
                sections.append((body_section, []))
            sections[-1][1].append(bullet + text)
    record["sections"] = [(heading, "\n".join(lines)) for heading, lines in sections]
    return record


def _field_line(text: str) -> tuple[str, str] | None:
    match = _FIELD_LINE.match(text)
    if not match:
        return None
    name = match.group(1).strip().lower().replace(" ", "_")
    return (name, match.group(2).strip()) if name in KNOWN_FIELDS else None


def _core_properties(content: DocxContent) -> dict:
    record: dict = {}
    if content.title:
        record["title"] = content.title
    if content.author:
        record["authors"] = [content.author]
    if content.keywords:
        record["tags"] = content.keywords
    return record
