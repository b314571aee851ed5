"""Why two lessons are related, in terms an editor would keep.

Shared terms come, in this order, from the approved glossary (both texts hold one of an
approved term's forms), from the glossary miner's candidates past its cut-off that both
documents use, and from named things both texts use (acronyms and capitalized names such as
"Mars Climate Orbiter"), rarest in the corpus first. Every term is found in the documents'
prose only (`prose`: no reference lists or bibliography entries), as one phrase that no
punctuation splits; words that are generic in the corpus (in more than half its documents),
dates and number words are never named things; nor is an everyday English word a term.
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
EVERYDAY_ZIPF = 3.5  # wordfreq: "rigging" 3.4 and "mishap" 3.0 pass; "ensure" 4.7 does not
GENERIC_SHARE = 0.1  # a term in more documents than this share ("NASA") says nothing
# Inside one term: letters, digits, spaces and the joiners of names ("R&D", "A/B", "X-ray").
_CROSSES_PUNCTUATION = re.compile(r"[^\w\s'’&/-]")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_CITATION_MARK = re.compile(
    r"[\"“”«»]|\bquot\b|\bpp?\.\s*\d|\bVol\.|\bNo\.\s*\d|https?:|www\.|\bet al\b|\bed(?:s|itor)?\.|"
    r"\b(?:Press|Publish\w*|Sons|Wiley|Inc\.|Proceedings|Journal|Conference|Symposium|Memorandum"
    r"|Handbook|Report|Presentation|Paper)\b"
)
_PUBLICATION = re.compile(
    r"\b(?:Memorandum|Handbook|Report|Journal|Proceedings|Press|Paper|Presentation|Practices?"
    r"|Standards?|Guidelines?|Manual|Specification|Publication)\b"
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
    """The terms one source document can share, each as written there: approved glossary
    forms and candidates past the miner's cut-off its prose holds, and its names."""

    glossary: dict[str, str]  # approved form, lower-cased -> as written
    candidates: list[tuple[dict[str, str], set[str]]]  # (form -> as written, doc ids), best first
    names: dict[str, str]  # name, lower-cased -> as written, in order of appearance
    store: Store

    @classmethod
    def of(cls, store: Store, doc_id: str, text: str, glossary: Iterable[str]) -> Vocabulary:
        mine = prose(text)
        documents = store.documents.count()
        above = [(v, ids) for _, v, accepted, ids in store.candidates.in_document(doc_id)
                 if accepted and not _generic(len(ids), documents)]  # fmt: skip
        held = _held(mine, [f for variants, _ in above for f in variants if _editorial(f, mine)])
        held = {form: written for form, written in held.items() if _editorial(written, mine)}
        candidates = [({f: held[f] for f in v if f in held}, ids) for v, ids in above]
        names = {n.lower(): n for n in reversed(_names(prose(_body(text))))}
        return cls(
            _held(mine, {f.lower() for f in glossary}), [c for c in candidates if c[0]],
            dict(reversed(names.items())), store,
        )  # fmt: skip


def shared_terms(their_text: str, their_id: str, vocabulary: Vocabulary) -> list[str]:
    """Up to LIMIT terms both texts use: glossary, candidates, then named things."""
    theirs = prose(their_text)
    chosen: list[str] = []
    _add(chosen, _also_in(theirs, vocabulary.glossary))
    forms = {
        f: w for held, ids in vocabulary.candidates if their_id in ids for f, w in held.items()
    }
    _add(chosen, _also_in(theirs, forms))
    _add(chosen, _named_shared(vocabulary.names, prose(_body(their_text)), vocabulary.store))
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


def _held(text: str, forms) -> dict[str, str]:
    """{form: as first written in ``text``} of the ``forms`` the text holds as one phrase."""
    written: dict[str, str] = {}
    for span in term_spans(text, list(dict.fromkeys(forms))):
        if span.term not in written and _one_phrase(text, span):
            written[span.term] = " ".join(text[span.start : span.end].split())
    return written


def _also_in(theirs: str, held: dict[str, str]) -> list[str]:
    """The written forms of those of ``held`` (in its order) that ``theirs`` holds too."""
    also = _held(theirs, held) if held else {}
    return [written for form, written in held.items() if form in also]


def _editorial(form: str, text: str) -> bool:
    """False for a one-word candidate that is an everyday English word ("change",
    "considered", "september") or a word glued to a number ("main1"); an acronym passes."""
    from wordfreq import zipf_frequency  # 95 ms to import: only once reasons are asked for

    if " " in form:
        return True
    if form[:1].isdigit() or (any(c.isdigit() for c in form) and form.upper() not in text):
        return False
    return form.upper() in text or zipf_frequency(form, "en") < EVERYDAY_ZIPF


def _one_phrase(text: str, span) -> bool:
    return not _CROSSES_PUNCTUATION.search(text[span.start : span.end])


def _named_shared(mine: dict[str, str], theirs: str, store: Store) -> list[str]:
    """Names both texts use, rarest first; none generic in the corpus."""
    their_names = {n.lower() for n in _names(theirs)}
    shared = {key: written for key, written in mine.items() if key in their_names}
    words = {key: sorted(term_set(key)) for key in shared}
    df = store.term_stats.df(sorted({w for ws in words.values() for w in ws}))
    documents = max(1, store.documents.count())
    rarity = {}
    for key in shared:
        counts = [df.get(w, 0) for w in words[key] if " " in w] or [
            df.get(w, 0) for w in words[key]
        ]
        least = min(counts, default=0)
        if least and not _generic(least, documents):
            rarity[key] = math.log((documents + 1) / least)
    return [shared[key] for key in sorted(rarity, key=lambda k: (-rarity[k], k))]


def _generic(holding: int, documents: int) -> bool:
    """True for a term in more than GENERIC_SHARE of the documents (two always pass)."""
    return holding > max(2, documents * GENERIC_SHARE)


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
    if _PUBLICATION.search(" ".join(words)):  # "NASA Technical Memorandum": a reference
        return False
    return not any(w.lower() in _NOT_NAMES or w.lower().rstrip("s") in _NOT_NAMES for w in words)


def _add(chosen: list[str], terms: list[str]) -> None:
    """Append the terms not already said: none equal to, or words inside, a chosen one."""
    for term in terms:
        words = f" {term.lower()} "
        if any(words in f" {other.lower()} " or f" {other.lower()} " in words for other in chosen):
            continue
        chosen.append(term)
