"""A project brief: read from pasted text or an uploaded charter, checked, cut into sentences.

Uploads may be Markdown, plain text or DOCX. Every refusal is a BriefError whose `kind`
says what was wrong, so the web layer can choose the status and the CLI a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.documents.chunking import sentence_spans
from kb.search import query_terms

TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
DOCX_SUFFIX = ".docx"
ACCEPTED_SUFFIXES = (*TEXT_SUFFIXES, DOCX_SUFFIX)
MIN_PASSAGE_TERMS = 4  # shorter sentences (headings, "Sponsor: Ana") say too little to search with
MAX_PASSAGES = 32  # one batched model call, one semantic search each
TITLE_CHARS = 120


class BriefError(ValueError):
    """A brief that cannot make a pack. kind: empty, no_words, too_large, binary, bad_docx,
    unsupported."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Brief:
    text: str
    title: str
    passages: list[str]  # the sentences searched one by one
    blocks: tuple[int, ...] = ()  # for each passage, the paragraph or list item it is from


def read_upload(data: bytes, filename: str, max_bytes: int) -> str:
    """The text of an uploaded charter; BriefError for anything that is not a readable one."""
    name = filename or "the upload"
    if len(data) > max_bytes:
        raise BriefError("too_large", f"{name} is larger than the {max_bytes:,}-byte upload limit.")
    suffix = "." + name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == DOCX_SUFFIX:
        return _docx_text(data, name)
    if suffix and suffix not in TEXT_SUFFIXES:
        raise BriefError(
            "unsupported", f"{name}: upload a Markdown (.md), text (.txt) or Word (.docx) file."
        )
    return _plain_text(data, name)


def _plain_text(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise BriefError("binary", f"{name} is a binary file, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BriefError("binary", f"{name} is not UTF-8 text.") from None


def _docx_text(data: bytes, name: str) -> str:
    # Lazy: the DOCX reader pulls in lxml, needed only for DOCX uploads. Bounded by the default
    # per-document limits (paragraphs, characters, unpacked bytes): an upload has no settings.
    from kb.documents.limits import default_limits
    from kb.documents.parsers.docx_reader import DocxError, DocxTooLargeError, read_docx

    try:
        content = read_docx(data, default_limits())
    except DocxTooLargeError as exc:
        raise BriefError("too_large", f"{name}: {exc}.") from None
    except DocxError as exc:
        raise BriefError("bad_docx", f"{name}: {exc}.") from None
    lines = []
    for paragraph in content.paragraphs:
        style = paragraph.style.lower()
        text = paragraph.text.strip()
        if text:
            heading = style == "title" or style.startswith("heading")
            lines.append(f"# {text}" if heading else text)
    for table in content.tables:
        lines.extend(" · ".join(cell.strip() for cell in row) for row in table)
    return "\n\n".join(lines)


def parse_brief(text: str, title: str = "") -> Brief:
    """The brief's cleaned text, title and passages; BriefError if there is nothing to search."""
    if not text or not text.strip():
        raise BriefError(
            "empty", "The brief is empty: paste the project brief or upload a charter."
        )
    blocks = markdown_blocks(_without_front_matter(text))
    plain = "\n".join(blocks)
    if not query_terms(plain):
        raise BriefError(
            "no_words",
            "The brief has no words to search with (only stop words or symbols). "
            "Describe the project: its goal, scope, vendors, risks.",
        )
    # The title names the whole project: searched with the whole brief, but not a topic of
    # its own (else a pack on the title's subject says the title "found nothing").
    title_heading = _title_heading(text)
    prose = [block for block in blocks if not FIELD_LINE.match(block)]
    found, origin = passages([block for block in prose if block != title_heading])
    if not found:  # a brief that is only its title: the title is what there is to search
        found, origin = passages(prose)
    return Brief(plain, title.strip()[:TITLE_CHARS] or brief_title(text), found, tuple(origin))


_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\|)")
# "Department: Finance · Sponsor: CFO": a metadata line, not a sentence about the project.
FIELD_LINE = re.compile(r"^[A-Z][\w /&-]{0,30}:\s(?:(?!\.\s).){0,80}(?:·.*)?$")


def markdown_blocks(text: str, headings: bool = True) -> list[str]:
    """Headings, list items and paragraphs, each on one line (wrapped lines joined), cleaned."""
    blocks: list[list[str]] = []
    fresh = True
    for line in text.splitlines():
        if not line.strip():
            fresh = True
            continue
        if fresh or _BLOCK_START.match(line) or line.lstrip().startswith("#"):
            blocks.append([])
        blocks[-1].append(line)
        fresh = line.lstrip().startswith("#")  # a heading is a block of its own
    if not headings:
        blocks = [block for block in blocks if not block[0].lstrip().startswith("#")]
    cleaned = (clean_line(" ".join(part.strip() for part in block)) for block in blocks)
    return [block for block in cleaned if block]


def prose_blocks(text: str) -> list[str]:
    """The brief's paragraphs and list items: no front matter, headings or metadata lines."""
    blocks = markdown_blocks(_without_front_matter(text), headings=False)
    return [block for block in blocks if not FIELD_LINE.match(block)]


def _without_front_matter(text: str) -> str:
    match = re.match(r"^\ufeff?---\s*\n.*?\n---\s*\n", text, re.S)
    return text[match.end() :] if match else text


_MARKUP = [
    (re.compile(r"^\s{0,3}(?:#{1,6}|>+)\s*"), ""),  # headings, quotes
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s*)?"), ""),  # list items, checkboxes
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images -> their text
    (re.compile(r"(\*\*|__|`)"), ""),  # strong, code
    (re.compile(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)"), ""),  # emphasis
    (re.compile(r"^\s*\|?\s*:?-{3,}.*$"), ""),  # table rules
]


def clean_line(line: str) -> str:
    for pattern, replacement in _MARKUP:
        line = pattern.sub(replacement, line)
    return " ".join(line.replace("|", " ").split())


def _title_heading(text: str) -> str | None:
    """The brief's first `# ` heading, cleaned as a block is, if it has one."""
    heading = re.search(r"^\s{0,3}#\s+(.+)$", _without_front_matter(text), re.M)
    return clean_line(heading.group(1)) if heading else None


def brief_title(text: str) -> str:
    """The first Markdown heading, or else the first non-empty line, shortened."""
    body = _without_front_matter(text)
    first_line = next((line for line in body.splitlines() if line.strip()), "")
    title = _title_heading(text) or clean_line(first_line) or "Project brief"
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def passages(blocks: list[str]) -> tuple[list[str], list[int]]:
    """The brief's sentences with enough content words, at most MAX_PASSAGES (merging
    neighbours), and the block each is from."""
    found, origin = [], []
    for number, block in enumerate(blocks):
        for span in sentence_spans(block):
            sentence = block[span.start : span.end]
            if len(query_terms(sentence)) >= MIN_PASSAGE_TERMS:
                found.append(sentence)
                origin.append(number)
    while len(found) > MAX_PASSAGES:
        i = min(range(len(found) - 1), key=lambda j: len(found[j]) + len(found[j + 1]))
        found[i : i + 2] = [f"{found[i]} {found[i + 1]}"]
        origin[i : i + 2] = [origin[i]]
    return found, origin
