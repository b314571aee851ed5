"""Chunk documents along their sections; long sections are split on sentences with overlap."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from kb.documents.schema import Document

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    section_key: str
    section_heading: str
    position: int  # order of the chunk within its document
    section_position: int  # order of the chunk within its section
    text: str
    char_start: int  # offsets of `text` within the section text
    char_end: int
    embed_text: str  # what the embedder sees: the text with its title and section

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.embed_text.encode()).hexdigest()[:32]


def sentence_spans(text: str) -> list[Span]:
    """Character spans of sentences (and list items / lines) in text."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append(_trimmed(text, start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append(_trimmed(text, start, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _word_count(text: str) -> int:
    return len(text.split())


def split_section(text: str, max_words: int, overlap_words: int) -> list[Span]:
    """Windows of whole sentences of at most max_words, consecutive windows sharing ~overlap."""
    units = _units(text, max_words)
    if not units:
        return []
    windows, first = [], 0
    while first < len(units):
        last, words = first, _word_count(text[units[first].start : units[first].end])
        while last + 1 < len(units):
            more = _word_count(text[units[last + 1].start : units[last + 1].end])
            if words + more > max_words:
                break
            last, words = last + 1, words + more
        windows.append(Span(units[first].start, units[last].end))
        if last + 1 >= len(units):
            break
        first = _overlap_start(text, units, first, last, overlap_words)
    return windows


def _overlap_start(text: str, units: list[Span], first: int, last: int, overlap: int) -> int:
    """The first unit of the next window: step back over up to `overlap` words, always advancing."""
    start, words = last + 1, 0
    while start - 1 > first:
        words += _word_count(text[units[start - 1].start : units[start - 1].end])
        if words > overlap:
            break
        start -= 1
    return start


def _units(text: str, max_words: int) -> list[Span]:
    """Sentences, with any sentence longer than max_words cut into runs of a third of that.

    Short runs let the window builder overlap consecutive chunks even inside one run-on
    sentence (transcripts, bullet-less notes).
    """
    units = []
    step = max(1, max_words // 3)
    for span in sentence_spans(text):
        if _word_count(text[span.start : span.end]) <= max_words:
            units.append(span)
            continue
        words = list(re.finditer(r"\S+", text[span.start : span.end]))
        for i in range(0, len(words), step):
            group = words[i : i + step]
            units.append(Span(span.start + group[0].start(), span.start + group[-1].end()))
    return units


def embedding_text(title: str, heading: str, text: str) -> str:
    """What the embedder sees for a chunk: its text with the document title and section."""
    return f"{title}. {heading}: {text}"


def chunk_document(doc: Document, max_words: int = 180, overlap_words: int = 40) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in doc.sections:
        for i, span in enumerate(split_section(section.text, max_words, overlap_words)):
            text = section.text[span.start : span.end]
            chunks.append(
                Chunk(
                    doc_id=doc.id,
                    section_key=section.key,
                    section_heading=section.heading,
                    position=len(chunks),
                    section_position=i,
                    text=text,
                    char_start=span.start,
                    char_end=span.end,
                    embed_text=embedding_text(doc.title, section.heading, text),
                )
            )
    return chunks
