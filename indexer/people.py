"""The names phase of an index run: the person names in the title and text of every
document not yet read for them, stored for hiding names from readers outside a document's
department (kb.redaction, KB_REDACT_NAMES_OUTSIDE_DEPARTMENT).

spaCy's entity recognizer alone (`entity_pipeline`) reads the sentences of each document
that may hold a name (`_may_name`). On lessons-learned text it calls many title-case
phrases people ("Ball Joints", "Gaseous Nitrogen" on NASA, departments and projects in
the examples), and a role put in place of a component's name would garble a lesson, so a
PERSON entity counts only when it is a name of the people fields or is written like one:
one to four capitalized words (particles such as "de" aside), none in capitals or with
digits, none written lower-case in the same document or mostly in the texts read, nor a
department's or project's; a single word only as a part of a full name (`Corpus.kept`).

Names are derived data: a missing spaCy pipeline leaves the documents unread and a warning;
their people fields are still hidden, and the page says to run `kb index` again.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from kb.index.people import PARTICLES
from kb.index.store import Store
from kb.problems import Problem
from kb.settings import Settings
from models.base import ModelUnavailableError

WHERE = "person names"  # the path its problems are reported under
PERSON = "PERSON"
MAX_WORDS = 4
BATCH = 32
PIECE_CHARS = 100_000  # spaCy reads this much at once at most: bounds its memory
_JOINERS = re.compile(r"['’-]")
_PUNCTUATION = ' \t\n.,;:()[]"“”'
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE = re.compile(r"(?<=[^\sA-Z][.!?])\s+|\n+")  # not after an initial: "W. Bryant"
_LETTERS = re.compile(r"[^\W\d_]+")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def names_wanted(settings: Settings) -> bool:
    """Whether runs look for names: only for redaction, which then needs the setting where
    `kb index` runs too (the phase took 34 s of a 39 s NASA build with the fake embedder,
    benchmarks/eval_names.py --nasa: a cost no other index needs)."""
    return settings.redact_names_outside_department


def read_person_names(store: Store) -> tuple[int, Problem | None]:
    """Store the names of the documents not read yet; (documents read, a warning or None)."""
    rowids = store.person_names.unread()
    if not rowids:
        return 0, None
    from indexer.terms.spacy_pipeline import entity_pipeline  # spaCy: only when needed

    try:
        entities = entity_pipeline()
    except ModelUnavailableError as exc:
        return 0, Problem(WHERE, f"names in texts not looked for: {exc}", severity="warning")
    corpus = Corpus.read(store, rowids)
    found: dict[int, list[str]] = {rowid: [] for rowid in rowids}
    read: deque[tuple[int, str]] = deque()  # (rowid, document text) of the pieces piped

    def pieces() -> Iterator[str]:
        for piece, key in _sections(store, rowids, corpus.known):
            read.append(key)
            yield piece

    for doc in entities.pipe(pieces(), batch_size=BATCH):
        rowid, text = read.popleft()
        found[rowid] += person_names(doc, text, corpus)
    for rowid, names in found.items():
        store.person_names.put(rowid, corpus.kept(names))
    store.commit()
    return len(rowids), None


@dataclass(frozen=True)
class Corpus:
    """What the whole index says about names: the people its fields name, and the words of
    its departments and projects ("Engineering", "Atlas"), which the recognizer takes for
    people and which name no one."""

    people: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    lower_case: frozenset[str] = frozenset()  # words the texts read mostly write lower-case

    @classmethod
    def read(cls, store: Store, rowids: list[int]) -> Corpus:
        people, words = store.person_names.corpus_people()
        texts = (store.documents.statistics_text(rowid) for rowid in rowids)
        return cls(frozenset(people), frozenset(w.lower() for w in words), _lower_case(texts))

    @cached_property
    def known(self) -> frozenset[str]:
        """The people fields' names and their words ("Nadia Costa", "Nadia", "Costa")."""
        parts = {w for name in self.people for w in name.split() if w not in PARTICLES}
        return self.people | {w for w in parts if len(w) > 1}

    def kept(self, names: list[str]) -> list[str]:
        """A document's names; a single word only as part of a full name there or in the
        people fields ("Kwame" of "Kwame Asante", not "Kestrel" the vendor)."""
        full = {n for n in names if " " in n} | self.people
        parts = {part for name in full for part in name.split()}
        return sorted({n for n in names if " " in n or n in parts})


def _lower_case(texts: Iterable[str]) -> frozenset[str]:
    """The words ``texts`` write lower-case more often than capitalized: "complex" of NASA's
    title-case "Aerodynamic Complex", which no document writes lower-case nearby."""
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for text in texts:
        for word in _LETTERS.findall(text):
            if word.islower():
                lower[word] += 1
            elif word[0].isupper() and not word.isupper():
                capital[word.lower()] += 1
    return frozenset(w for w, n in lower.items() if n > capital[w])


def _sections(
    store: Store, rowids: list[int], known: frozenset[str]
) -> Iterator[tuple[str, tuple[int, str]]]:
    """(text, (rowid, whole document text)): of each document, the sentences of its title
    and sections that may hold a name (`_may_name`), at once or, when long, in pieces."""
    titles = {rowid: row["title"] for rowid, row in store.documents.rows(rowids).items()}
    for rowid in rowids:
        text = store.documents.statistics_text(rowid) or titles[rowid]  # none: no sections
        sentences = "\n".join(s for s in _SENTENCE.split(text) if _may_name(s, known))
        for piece in _pieces(sentences):
            yield piece, (rowid, text)


def _may_name(sentence: str, known: frozenset[str]) -> bool:
    """Whether a sentence has two capitalized words in a row ("Jenna Cole", "J. Smith") or
    a word of the people fields' names: the recognizer reads only these (27% of NASA's
    text; its names elsewhere are single words, kept only as parts of full names)."""
    words = _WORD.findall(sentence)
    if any(_POSSESSIVE.sub("", w).rstrip(".") in known for w in words):
        return True
    capital = [w[0].isupper() and (len(w.rstrip(".")) == 1 or not w.isupper()) for w in words]
    return any(a and b for a, b in zip(capital, capital[1:], strict=False))


def _pieces(text: str) -> Iterator[str]:
    """``text`` in pieces of at most `PIECE_CHARS`, cut between paragraphs where it can."""
    while len(text) > PIECE_CHARS:
        cut = text.rfind("\n\n", 0, PIECE_CHARS)
        cut = cut if cut > 0 else PIECE_CHARS
        yield text[:cut]
        text = text[cut:]
    if text.strip():
        yield text


def person_names(doc, document_text: str, corpus: Corpus = Corpus()) -> list[str]:
    """The entities of a spaCy ``doc`` that are names: any one the people fields know (the
    recognizer calls "Irina Petrova" an organization as often as a person), and PERSON
    entities written like names (see the module)."""
    names = []
    for entity in doc.ents:
        name = _POSSESSIVE.sub("", " ".join(entity.text.split()).strip(_PUNCTUATION))
        if name in corpus.known or (
            entity.label_ == PERSON and _looks_like_name(name, document_text, corpus)
        ):
            names.append(name)
    return names


def _looks_like_name(name: str, document_text: str, corpus: Corpus) -> bool:
    words = name.split()
    if not 0 < len(words) <= MAX_WORDS or words[0].lower() in PARTICLES:
        return False
    last = len(words) - 1
    if not all(w in PARTICLES or _name_word(w, i == last) for i, w in enumerate(words)):
        return False
    return not any(_common(w, document_text, corpus) for w in words if w not in PARTICLES)


def _name_word(word: str, last: bool) -> bool:
    """A capitalized word ("Tomás", "O'Connor", "McDonald"), or an initial ("J.") but not
    last ("John M" is a heading's fragment); not in capitals ("GSE") nor with digits."""
    core = word.rstrip(".")
    letters = _JOINERS.sub("", core)
    if len(letters) == 1:
        return letters.isupper() and word.endswith(".") and not last
    return core[:1].isupper() and letters.isalpha() and not letters.isupper()


def _common(word: str, document_text: str, corpus: Corpus) -> bool:
    """A word that is not a name's: written lower-case in the document ("Crane Loads",
    "Vantora Freight") or mostly in the texts read, or a department's or project's."""
    lower = word.rstrip(".").lower()
    if lower in corpus.not_names or lower in corpus.lower_case:
        return True
    return re.search(rf"(?<!\w){re.escape(lower)}(?!\w)", document_text) is not None
