"""The evidence for contested terms: the words around each candidate in each document, and
what every department writes regardless of the term (its background).

A department's documents share templates (citations with dates, "proximate cause", an
author's name on a series of lessons). Words like those make a department's contexts of
any term alike among themselves and unlike other departments', which is no sense of the
term. So the evidence keeps only words that could describe a sense:

- no calendar word, number, markup residue or person-like name (a capitalised word the
  corpus never writes in lower case: "Kerby", "Jerald");
- a word weighs by its lift over the department-wide rate (`Background.lift`): a word every
  department document carries around every term weighs nothing;
- documents whose windows share a run of SHARED_RUN words quote one passage: one source.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from kb.glossary.model import Candidate
from kb.text import CONTEXT_STOPWORDS, prose_words

WINDOW = 8
SHARED_RUN = 5  # words in a row two windows must share to count as one quoted passage

ENTITY = re.compile(r"&#?\w+;")  # markup residue (&quot; &#39;) is not a context word
# "&quot;" that lost its "&" and ";" is glued to a word: "quotradiation", "jplquots"
GLUED_QUOT = re.compile(r"\bquot(?!as?\b|e[sd]?\b|ing\b|ations?\b)|quots?\b")
SENTENCE_END = re.compile(r"[.!?;:]\s|\n")
BOUNDARY = "|"  # between sentences: a window never crosses one
MARKUP = frozenset({"quot", "amp", "nbsp", "apos", "lt", "gt"})  # entities that lost their &
# Dates in citations and report headers say when, never what sense.
CALENDAR = frozenset(
    """january february march april june july august september october november december
    jan feb apr jun jul aug sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)
CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:['-][a-z]+)*\b")
LOWER = re.compile(r"\b[a-z]+(?:['-][a-z]+)*\b")


def words(text: str) -> list[str]:
    return [
        w.strip("'-")
        for w in prose_words(GLUED_QUOT.sub(" ", ENTITY.sub(" ", text.casefold())))
        if len(w.strip("'-")) > 1
    ]


def sentence_words(text: str) -> list[str]:
    """The words of a text, with BOUNDARY between its sentences."""
    out: list[str] = []
    for sentence in SENTENCE_END.split(text):
        out.extend(words(sentence))
        out.append(BOUNDARY)
    return out


def context_word(word: str, own: set[str]) -> bool:
    """A word worth comparing: not the term's own, no stopword, markup, date, number."""
    if word == BOUNDARY or word in own or word in CONTEXT_STOPWORDS or word in MARKUP:
        return False
    return word not in CALENDAR and not any(c.isdigit() for c in word)


class Forms:
    """A candidate's forms as word sequences, and every word in them (left out of bags)."""

    def __init__(self, candidate: Candidate):
        written = (candidate.term, *candidate.surface_forms, candidate.acronym, candidate.expansion)
        forms = {tuple(words(form)) for form in written if form}
        forms.discard(())
        self.sequences = sorted(forms)
        self.words = {w for form in forms for w in form}


def _clip(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """The window's words within the term's sentence, before and after it."""
    if BOUNDARY in before:
        before = before[len(before) - before[::-1].index(BOUNDARY) :]
    if BOUNDARY in after:
        after = after[: after.index(BOUNDARY)]
    return before, after


class Occurrences:
    """One document's windows around one candidate: the context words, and (hashed) the
    runs of SHARED_RUN words on one side of the term, two or more of them context words,
    that tell a quoted passage ("due to the [term] of the" quotes nothing)."""

    def __init__(self) -> None:
        self.bag: Counter[str] = Counter()
        self.runs: set[int] = set()

    @classmethod
    def of(cls, bag: dict[str, int], runs: Iterable[int]) -> Occurrences:
        """As kept in the index (kb.glossary.contested_evidence)."""
        found = cls.__new__(cls)  # no empty Counter and set made only to be replaced
        found.bag = bag  # read as a mapping only: a Counter of each took a tenth of a view
        found.runs = set(runs)
        return found

    def add(self, sides: tuple[list[str], list[str]], own: set[str]) -> None:
        for side in sides:
            kept = [context_word(w, own) for w in side]
            self.bag.update(w for w, keep in zip(side, kept, strict=True) if keep)
            self.runs.update(
                hash(tuple(side[i : i + SHARED_RUN]))
                for i in range(len(side) - SHARED_RUN + 1)
                if sum(kept[i : i + SHARED_RUN]) >= 2
            )


def occurrences(tokens: list[str], where: dict[str, list[int]], forms: Forms) -> Occurrences:
    """The windows of WINDOW words either side of each occurrence of a form in `tokens`."""
    found = Occurrences()
    for form in forms.sequences:
        for start in where.get(form[0], ()):
            end = start + len(form)
            if tuple(tokens[start:end]) == form:
                before = tokens[max(0, start - WINDOW) : start]
                found.add(_clip(before, tokens[end : end + WINDOW]), forms.words)
    return found


class Background:
    """Per department, how many of its documents carry each word; and, over the corpus, the
    capitalised words never written in lower case (person-like names)."""

    def __init__(self) -> None:
        self.sizes: Counter[str] = Counter()
        self.frequency: dict[str, Counter[str]] = defaultdict(Counter)
        self.capitalised: set[str] = set()
        self.lower: set[str] = set()

    def add(self, department: str, text: str, tokens: Iterable[str]) -> None:
        self.sizes[department] += 1
        self.frequency[department].update(set(tokens))
        self.capitalised.update(w.casefold() for w in CAPITALISED.findall(text))
        self.lower.update(LOWER.findall(text))

    def names(self) -> frozenset[str]:
        return frozenset(self.capitalised - self.lower)

    def rate(self, department: str, word: str) -> float:
        """The share of the department's documents with `word` anywhere."""
        size = self.sizes[department]
        return (self.frequency[department][word] + 1) / (size + 1) if size else 1.0

    def share(self, department: str, documents: int) -> float:
        """`documents` as a share of the department's."""
        return documents / self.sizes[department] if self.sizes[department] else 0.0
