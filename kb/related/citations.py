"""A lesson that names another: its title, its address, or its number ("LLIS #0903",
"Lesson Learned No. 1201"). Authors who name a lesson link it on purpose, so such a pair is
related whatever their words and meaning say."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.index.store import Store
from kb.text.words import tokens

MIN_TITLE_WORDS = 4  # "Electrical Connectors" is a phrase, not a reference to one lesson
MENTIONS_READ = 500  # chunks read to find a lesson's title or number in others' text
_NUMBER = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class Named:
    """How a document can be named: title words, address, number (the id's last digits)."""

    title_words: tuple[str, ...]
    url: str
    number: str

    @classmethod
    def of(cls, row) -> Named:
        words = tuple(w.lower() for w in tokens(row["title"]))
        number = _NUMBER.search(row["id"])
        return cls(
            words if len(words) >= MIN_TITLE_WORDS else (),
            row["url"] or "",
            number.group(1).lstrip("0") if number else "",
        )

    def in_text(self, text: str) -> bool:
        """True when ``text`` names this document."""
        if self.url and self.url in text:
            return True
        if self.number and _number_pattern(self.number).search(text):
            return True
        if not self.title_words:
            return False
        spaced = " " + " ".join(w.lower() for w in tokens(text)) + " "
        return " " + " ".join(self.title_words) + " " in spaced


def _number_pattern(number: str) -> re.Pattern:
    # "#0903", "# 1372", "No. 1201", "No.0431": a number as a reference, not as a quantity.
    return re.compile(rf"(?:#|\bNo\.?)\s*0*{number}\b(?![-.]\d)", re.IGNORECASE)


def naming(store: Store, source_row, source_text: str, candidate_rows: dict) -> set[int]:
    """The rowids among ``candidate_rows`` ({rowid: row}) that the source names, and those
    of any document whose text names the source."""
    found = {r for r, row in candidate_rows.items() if Named.of(row).in_text(source_text)}
    source = Named.of(source_row)
    for words in (list(source.title_words), [source.number] if source.number else []):
        for rowid, text in store.chunks.with_phrase(words, MENTIONS_READ):
            if rowid != source_row["rowid"] and source.in_text(text):
                found.add(rowid)
    return found
