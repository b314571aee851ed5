"""DOCX files for the parser and brief tests: made with python-docx, or written straight into
a zip (fast, for bombs of hundreds of thousands of paragraphs)."""

from __future__ import annotations

import io
import zipfile

import docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def word_document(*paragraphs: tuple[str, str]) -> bytes:
    """A DOCX of (style, text) paragraphs, made by python-docx."""
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_package(body_xml: str, document_xml: str | None = None) -> bytes:
    """A DOCX holding only what a reader needs, its document part written as given."""
    xml = document_xml or (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}">'
        f"<w:body>{body_xml}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()
