"""Bounds on what one input file may cost: its size, its documents' text, fields, sections,
paragraphs, chunks and nesting. Taken from the settings, so `kb index` and `kb validate`
reject exactly the same files."""

from __future__ import annotations

from dataclasses import dataclass

from kb.settings import Settings

# A title is shown on every result list; a longer one is not a title.
MAX_TITLE_CHARS = 500
# Nesting of JSON values and YAML front matter: real documents use two or three levels, and
# Python's parsers recurse once per level (200,000 levels overflow the stack).
MAX_NESTING_DEPTH = 32
# Items of one list field (tags, authors, participants) and extra (unknown) fields of one
# document: real documents have a handful; each item is at most a title long.
MAX_LIST_ITEMS = 200
# Problems kept for one file; the rest are counted (a 20 MB JSONL file of bad lines would
# otherwise report millions).
MAX_PROBLEMS_PER_FILE = 100


@dataclass(frozen=True)
class InputLimits:
    max_file_bytes: int
    max_document_chars: int
    max_field_chars: int
    max_sections: int
    max_paragraphs: int
    max_chunks: int
    max_depth: int = MAX_NESTING_DEPTH
    max_title_chars: int = MAX_TITLE_CHARS
    max_list_items: int = MAX_LIST_ITEMS
    max_problems: int = MAX_PROBLEMS_PER_FILE

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        return cls(
            max_file_bytes=settings.max_file_bytes,
            max_document_chars=settings.max_document_chars,
            max_field_chars=settings.max_field_chars,
            max_sections=settings.max_sections,
            max_paragraphs=settings.max_paragraphs,
            max_chunks=settings.max_chunks,
        )


def default_limits() -> InputLimits:
    """The limits of the default settings (for callers that have no settings of their own)."""
    return InputLimits.from_settings(Settings())
