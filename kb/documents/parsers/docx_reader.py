"""Reading a DOCX within bounds: the paragraphs (text and style name), the tables and the core
properties, for the DOCX parser and for kickoff briefs.

Hand-written over lxml's iterparse because python-docx builds a proxy and looks up the style
of every paragraph: 20,000 paragraphs took 6.3 s with python-docx and 0.15 s here
(benchmarks/bench_docx_reader.py, same text and styles), and a 65 KB DOCX of 295,000 paragraphs
kept python-docx busy past 150 s. A zip member that declares more bytes than the limits allow
(a zip bomb) is refused, every member is read with a byte bound, and paragraphs are counted
while the XML streams in: reading stops at the limit. What a paragraph's text is and which
style it has follow python-docx 1.2.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from importlib import resources

from lxml import etree

from kb.documents.limits import InputLimits

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
_STYLES = "/styles"
_CORE = "/core-properties"
_CORE_FIELDS = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "author": "{http://purl.org/dc/elements/1.1/}creator",
    "keywords": "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords",
}
# Bytes of WordprocessingML per character of text that a document may unpack to: Word writes
# a few hundred bytes of markup a paragraph and splits text into many runs.
XML_BYTES_PER_CHAR = 64
MAX_SMALL_PART_BYTES = 8_000_000  # styles, relationships, core properties
# Run content and its text, as python-docx's Run.text reads it.
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_UI_NAMES = {f"heading {n}": f"Heading {n}" for n in range(1, 10)} | {
    name.lower(): name for name in ("Caption", "Footer", "Header")
}
# What zipfile, its decompressors and lxml raise for a damaged package (RuntimeError: an
# encrypted member; NotImplementedError: an unknown compression method).
_DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, etree.XMLSyntaxError, EOFError,
            OSError, RuntimeError, NotImplementedError, ValueError)  # fmt: skip
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False}


class DocxError(ValueError):
    """Not a DOCX, or a damaged one; the message does not name the file."""


class DocxTooLargeError(DocxError):
    """A DOCX beyond the limits: too many paragraphs, too much text, or a zip bomb."""


@dataclass(frozen=True)
class DocxParagraph:
    text: str
    style: str  # the paragraph style's name as Word shows it ("Heading 1"), "" if none


@dataclass
class DocxContent:
    paragraphs: list[DocxParagraph] = field(default_factory=list)  # the body's, in order
    tables: list[list[list[str]]] = field(default_factory=list)  # rows of cell texts
    title: str = ""
    author: str = ""
    keywords: str = ""


def read_docx(data: bytes, limits: InputLimits) -> DocxContent:
    """The content of a DOCX file; DocxError (or DocxTooLargeError) for anything else."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocxError("not a DOCX file (a DOCX is a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _Package(archive, limits).read()
    except DocxError:
        raise
    except _DAMAGED as exc:
        raise DocxError(f"damaged DOCX file: {exc}") from None


class _Package:
    def __init__(self, archive: zipfile.ZipFile, limits: InputLimits):
        self.archive = archive
        self.limits = limits

    def read(self) -> DocxContent:
        package_rels = self._relationships("")
        main = package_rels.get(_OFFICE_DOCUMENT)
        if main is None or main not in self.archive.NameToInfo:
            raise DocxError("damaged DOCX file: it has no main document part")
        styles = _Styles(self._xml(self._relationships(main).get(_STYLES)))
        content = DocxContent()
        _read_core(self._xml(package_rels.get(_CORE)), content)
        max_bytes = XML_BYTES_PER_CHAR * self.limits.max_document_chars
        with self._open(main, max_bytes) as stream:
            _Body(styles, self.limits, content).read(stream)
        return content

    def _relationships(self, part: str) -> dict[str, str]:
        """{relationship type's last part: target part} of a part ('' for the package)."""
        folder, name = posixpath.split(part)
        root = self._xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        if root is None:
            return {}
        found = {}
        for rel in root.iter(_REL):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            if rel.get("TargetMode") != "External" and target:
                path = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                found.setdefault(kind[kind.rfind("/") :], posixpath.normpath(path))
        return found

    def _xml(self, part: str | None):
        """The parsed XML of a small part, or None when there is no such part."""
        if part is None or part not in self.archive.NameToInfo:
            return None
        with self._open(part, MAX_SMALL_PART_BYTES) as stream:
            return etree.parse(stream, etree.XMLParser(**_PARSER_OPTIONS)).getroot()

    def _open(self, part: str, max_bytes: int):
        info = self.archive.getinfo(part)
        if info.file_size > max_bytes:
            raise DocxTooLargeError(
                f"DOCX part {part} unpacks to {info.file_size:,} bytes; the limit is {max_bytes:,}"
            )
        return _BoundedReader(self.archive.open(info), part, max_bytes)


class _BoundedReader(io.RawIOBase):
    """A zip member read at most max_bytes far, whatever size its header declares."""

    def __init__(self, member, part: str, max_bytes: int):
        self.member, self.part, self.left = member, part, max_bytes

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.member.read(self.left + 1 if size < 0 else min(size, self.left + 1))
        self.left -= len(data)
        if self.left < 0:
            raise DocxTooLargeError(f"DOCX part {self.part} unpacks to more bytes than allowed")
        return data

    def close(self) -> None:
        self.member.close()
        super().close()


class _Styles:
    """Paragraph style names by id, and the default one, as python-docx resolves them."""

    def __init__(self, root):
        if root is None:  # python-docx falls back on its template's styles
            template = resources.files("docx") / "templates" / "default-styles.xml"
            root = etree.fromstring(template.read_bytes(), etree.XMLParser(**_PARSER_OPTIONS))
        self.names: dict[str, str] = {}
        self.default = ""
        for style in root.iterfind(f"{_W}style"):
            if style.get(f"{_W}type") != "paragraph":
                continue
            name = _ui_name(style.find(f"{_W}name"))
            self.names.setdefault(style.get(f"{_W}styleId", ""), name)
            if style.get(f"{_W}default") in ("1", "true", "on"):
                self.default = name  # the last default wins, as the standard says

    def of(self, paragraph) -> str:
        element = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style_id = element.get(f"{_W}val") if element is not None else None
        return self.names.get(style_id, self.default) if style_id else self.default


def _ui_name(element) -> str:
    name = element.get(f"{_W}val", "") if element is not None else ""
    return _UI_NAMES.get(name, name)


def _read_core(root, content: DocxContent) -> None:
    if root is None:
        return
    for name, tag in _CORE_FIELDS.items():
        setattr(content, name, (root.findtext(tag) or "").strip())


class _Body:
    """The main document part, streamed: paragraphs counted as they end, body paragraphs
    and tables kept, every finished element freed."""

    def __init__(self, styles: _Styles, limits: InputLimits, content: DocxContent):
        self.styles, self.limits, self.content = styles, limits, content
        self.paragraphs = 0
        self.chars = 0
        self.cells = 0

    def read(self, stream) -> None:
        events = etree.iterparse(
            stream, events=("end",), tag=(f"{_W}p", f"{_W}tbl"), **_PARSER_OPTIONS
        )
        for _, element in events:
            if element.tag == f"{_W}p":
                self._count_paragraph()
            parent = element.getparent()
            if parent is None or parent.tag != f"{_W}body":
                continue  # inside a table or a text box: read with what holds it
            if element.tag == f"{_W}p":
                self._add_paragraph(element)
            else:
                self.content.tables.append(self._table(element))
            element.clear()
            while element.getprevious() is not None:
                del parent[0]

    def _count_paragraph(self) -> None:
        self.paragraphs += 1
        if self.paragraphs > self.limits.max_paragraphs:
            raise DocxTooLargeError(
                f"the document has more than {self.limits.max_paragraphs:,} paragraphs"
            )

    def _count_cells(self, cells: int) -> None:
        self.cells += cells
        if self.cells > self.limits.max_paragraphs:
            raise DocxTooLargeError(
                f"the document's tables have more than {self.limits.max_paragraphs:,} cells"
            )

    def _add_paragraph(self, element) -> None:
        text = self._text(paragraph_text(element))
        self.content.paragraphs.append(DocxParagraph(text, self.styles.of(element)))

    def _text(self, text: str) -> str:
        self.chars += len(text)
        if self.chars > self.limits.max_document_chars:
            raise DocxTooLargeError(
                f"the document has more than {self.limits.max_document_chars:,} characters of text"
            )
        return text

    def _table(self, table) -> list[list[str]]:
        rows, above = [], {}
        for tr in table.iterfind(f"{_W}tr"):
            cells, here = [], {}
            offset = _int_val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
            for tc in tr.iterfind(f"{_W}tc"):
                span = _int_val(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1)
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                    text = above.get(offset, "")  # python-docx reads the cell above
                else:
                    paragraphs = tc.iterfind(f"{_W}p")
                    text = self._text("\n".join(paragraph_text(p) for p in paragraphs))
                here[offset] = text
                self._count_cells(span)
                cells.extend([text] * span)
                offset += span
            rows.append(cells)
            above = here
        return rows


def paragraph_text(paragraph) -> str:
    """A paragraph's text as python-docx's Paragraph.text gives it: its runs' and its
    hyperlinks' runs' text, tabs as '\\t', line breaks as '\\n'."""
    parts = []
    for child in paragraph:
        runs = [child] if child.tag == f"{_W}r" else []
        if child.tag == f"{_W}hyperlink":
            runs = child.iterfind(f"{_W}r")
        for run in runs:
            parts.extend(_run_text(item) for item in run)
    return "".join(parts)


def _run_text(item) -> str:
    if item.tag == f"{_W}t":
        return item.text or ""
    if item.tag == f"{_W}br":
        return "\n" if item.get(f"{_W}type", "textWrapping") == "textWrapping" else ""
    return _RUN_TEXT.get(item.tag, "")


def _int_val(element, default: int) -> int:
    value = element.get(f"{_W}val", "") if element is not None else ""
    return int(value) if value.isdigit() and len(value) < 6 else default
