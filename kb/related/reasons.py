"""Why two lessons are related, in terms an editor would keep.

Shared terms come, in this order, from the approved glossary (both texts hold one of an
approved term's forms), from the glossary miner's candidates past its cut-off that both
documents use, and from named things both texts use (acronyms and capitalized names such as
"Mars Climate Orbiter"), rarest in the corpus first. Every term is found in the documents'
prose only (`prose`: no reference lists or bibliography entries), as one phrase that no
punctuation splits; words that are generic in the corpus (in more than half its documents),
dates and number words are never named things.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kb.documents.chunking import sentence_spans
from kb.index.store import Store
from kb.text.phrases import term_spans
from kb.text.statistics import term_set
from kb.text.words import STOPWORDS

LIMIT = 6
GENERIC_SHARE = 0.5  # a named thing in more documents than this share says nothing
# Inside one term: letters, digits, spaces and the joiners of names ("R&D", "A/B", "X-ray").
_CROSSES_PUNCTUATION = re.compile(r"[^\w\s'’&/-]")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_CITATION_MARK = re.compile(
    r"[\"“”«»]|\bquot\b|\bpp?\.\s*\d|\bVol\.|\bNo\.\s*\d|https?:|www\.|\bet al\b|\bed(?:s|itor)?\.|"
    r"\b(?:Press|Publish\w*|Sons|Wiley|Inc\.|Proceedings|Journal|Conference|Symposium|Memorandum"
    r"|Handbook|Report|Presentation|Paper)\b"
)
_REFERENCES_START = re.compile(r"\b(?:References?|Bibliography|Sources|Citations)\s*:", re.I)
_ACRONYM = r"[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?:[&/-][A-Z0-9]+)*s?"
_CAPITALIZED = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*"
_NAME_WORD = rf"(?:{_ACRONYM}|{_CAPITALIZED})"
_NAMED = re.compile(
    rf"(?<![\w&/-])(?:{_ACRONYM}|{_NAME_WORD}(?: (?:of|and|for|the|de|du|on) )?(?: ?{_NAME_WORD})+)"
    r"(?![\w&/-])"
)
# Capitalized words that name no thing: dates, units of time and money, number words.
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday am pm utc gmt est edt pst pdt cet
    eur usd gbp jpy chf cad aud cny inr ok tbd tbc na n/a ii iii iv vi vii viii ix xi xii
    one two three four five six seven eight nine ten eleven twelve twenty thirty hundred
    thousand million billion first second third fourth fifth""".split()
)


@dataclass(frozen=True)
class Vocabulary:
    """What shared terms are chosen from, for one source document."""

    glossary: frozenset[str]  # approved forms, lower-cased
    candidates: list[tuple[str, list[str], set[str]]]  # (display, variants, doc ids), best first
    store: Store

    @classmethod
    def for_document(cls, store: Store, doc_id: str, glossary: Iterable[str]) -> Vocabulary:
        """The approved ``glossary`` forms, and the candidates past the miner's cut-off that
        the document uses."""
        above = [(d, v, ids) for d, v, accepted, ids in store.candidates.in_document(doc_id)
                 if accepted]  # fmt: skip
        return cls(frozenset(f.lower() for f in glossary), above, store)


def shared_terms(text: str, their_text: str, their_id: str, vocabulary: Vocabulary) -> list[str]:
    """Up to LIMIT terms both texts use: glossary, candidates, then named things."""
    mine, theirs = prose(text), prose(their_text)
    chosen: list[str] = []
    _add(chosen, _both(mine, theirs, vocabulary.glossary))
    forms = [v for _, variants, ids in vocabulary.candidates if their_id in ids for v in variants]
    _add(chosen, _both(mine, theirs, forms))
    _add(chosen, _named_shared(prose(_body(text)), prose(_body(their_text)), vocabulary.store))
    return chosen[:LIMIT]


def prose(text: str) -> str:
    """The text without its reference lists and bibliography entries: each paragraph up to a
    "References:" heading, without sentences that cite a publication (a year beside quotes,
    pages, a publisher, an address...)."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        cut = _REFERENCES_START.search(paragraph)
        paragraph = paragraph[: cut.start()] if cut else paragraph
        kept = [paragraph[s.start : s.end] for s in sentence_spans(paragraph)]
        paragraphs.append(" ".join(s for s in kept if not _cites(s)))
    return "\n\n".join(paragraphs)


def _cites(sentence: str) -> bool:
    if "http" in sentence or "www." in sentence:
        return True
    return bool(_YEAR.search(sentence)) and len(_CITATION_MARK.findall(sentence)) >= 1


def _body(text: str) -> str:
    """The text after its first line (the title, whose every word is capitalized)."""
    return text.partition("\n")[2]


def _both(mine: str, theirs: str, forms: Iterable[str]) -> list[str]:
    """The ``forms`` both texts hold, as first written in ``mine``, best (given) order."""
    forms = list(dict.fromkeys(forms))
    if not forms:
        return []
    held = {span.term for span in term_spans(theirs, forms) if _one_phrase(theirs, span)}
    written: dict[str, str] = {}
    for span in term_spans(mine, held):
        if span.term not in written and _one_phrase(mine, span):
            written[span.term] = " ".join(mine[span.start : span.end].split())
    return [written[f] for f in forms if f in written]


def _one_phrase(text: str, span) -> bool:
    return not _CROSSES_PUNCTUATION.search(text[span.start : span.end])


def _named_shared(mine: str, theirs: str, store: Store) -> list[str]:
    """Names both texts use, rarest first; none generic in the corpus."""
    their_names = {n.lower() for n in _names(theirs)}
    shared = {n.lower(): n for n in reversed(_names(mine)) if n.lower() in their_names}
    words = {key: sorted(term_set(key)) for key in shared}
    df = store.term_stats.df(sorted({w for ws in words.values() for w in ws}))
    documents = max(1, store.documents.count())
    rarity = {}
    for key in shared:
        counts = [df.get(w, 0) for w in words[key] if " " in w] or [
            df.get(w, 0) for w in words[key]
        ]
        least = min(counts, default=0)
        if 0 < least <= documents * GENERIC_SHARE:
            rarity[key] = math.log((documents + 1) / least)
    return [shared[key] for key in sorted(rarity, key=lambda k: (-rarity[k], k))]


def _names(text: str) -> list[str]:
    """Acronyms and capitalized names, in order of appearance (leading function words
    dropped; none with a date, unit or number word)."""
    found = []
    for match in _NAMED.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in STOPWORDS:
            words = words[1:]
        if words and (len(words) > 1 or re.fullmatch(_ACRONYM, words[0])) and _names_a_thing(words):
            found.append(" ".join(words))
    return found


def _names_a_thing(words: list[str]) -> bool:
    return not any(w.lower() in _NOT_NAMES or w.lower().rstrip("s") in _NOT_NAMES for w in words)


def _add(chosen: list[str], terms: list[str]) -> None:
    """Append the terms not already said: none equal to, or words inside, a chosen one."""
    for term in terms:
        words = f" {term.lower()} "
        if any(words in f" {other.lower()} " or f" {other.lower()} " in words for other in chosen):
            continue
        chosen.append(term)
