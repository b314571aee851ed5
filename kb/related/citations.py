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
# "#0903", "# 1372", "No. 1201", "No.0431": a number as a reference, not as a quantity.
_CITED_NUMBER = re.compile(r"(?:#|\bNo\.?)\s*(\d+)\b(?![-.]\d)", re.IGNORECASE)


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

    def in_text(self, text: Mentions) -> bool:
        """True when the text names this document."""
        if self.url and self.url in text.text:
            return True
        if self.number and self.number in text.numbers:
            return True
        return bool(self.title_words) and " " + " ".join(self.title_words) + " " in text.spaced


@dataclass(frozen=True)
class Mentions:
    """A text, with what naming a document looks for in it, found once."""

    text: str
    spaced: str  # its tokens, lower-cased, between single spaces (and one at each end)
    numbers: frozenset[str]  # numbers cited as references: "#0903", "No. 1201" -> "903", "1201"

    @classmethod
    def of(cls, text: str) -> Mentions:
        spaced = " " + " ".join(w.lower() for w in tokens(text)) + " "
        numbers = frozenset(n.lstrip("0") for n in _CITED_NUMBER.findall(text))
        return cls(text, spaced, numbers)


def naming(store: Store, source_row, source_text: str, candidate_rows: dict) -> set[int]:
    """The rowids among ``candidate_rows`` ({rowid: row}) that the source names, and those
    of any document whose text names the source."""
    mentions = Mentions.of(source_text)
    found = {r for r, row in candidate_rows.items() if Named.of(row).in_text(mentions)}
    source = Named.of(source_row)
    for words in (list(source.title_words), [source.number] if source.number else []):
        for rowid, text in store.chunks.with_phrase(words, MENTIONS_READ):
            if rowid != source_row["rowid"] and source.in_text(Mentions.of(text)):
                found.add(rowid)
    return found
