"""People and places among the candidates an index's review queue shows above the cut-off.

A glossary of a collection wants its concepts and named things (missions, programs,
materials), not the people and places its lessons mention: "Steven", "Huntsville". The
model scores a recurring name like a term, and no word list knows a corpus's names, so
spaCy's entity recognizer decides, on a bounded sample and only where a name is possible:

- the candidate is written capitalized (not in capitals, not an acronym or its expansion,
  at most `MAX_WORDS` words), its sentences never write it lower-case mid-sentence, and
  none of its words is one the corpus mostly writes lower-case ("Spacecraft Safing");
- up to `SENTENCES` of its sentences (from different documents), cut to a window around
  the mention, go through the recognizer alone, in one batch for the whole queue;
- it is a name when most of those mentions fall in a PERSON, GPE or LOC entity, or name
  an author or publisher in a reference entry (a year and a quoted title, pages, "et
  al.": "Prentice-Hall"). ORG, PRODUCT and FAC stay: often the named things a glossary
  wants (the recognizer calls "Kepler" and "Juno" people all the same).

Only the review queue is filtered: benchmarks such as ACTER count named entities as terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.terms.view import CorpusView
from indexer.terms.written import MAX_SENTENCES, form_in, written_form

NAME_LABELS = frozenset({"PERSON", "GPE", "LOC"})
SENTENCES = 5  # mentions read per candidate: a majority of 5 settles it
MAX_WORDS = 3  # "Marshall Space Flight Center" is a place, but a place a glossary keeps
WINDOW = 150  # characters kept either side of a mention: the recognizer reads locally
BATCH = 64
# A reference entry: a year, and a quoted title, pages, a volume, "et al." or "References".
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_CITATION = re.compile(r"[“”\"]|\bpp?\.? ?\d|\bVol\. ?\d|\bet[ -]al\b|^\W*References?\b")


@dataclass(frozen=True)
class Mention:
    term: str
    text: str
    start: int
    end: int


def name_terms(view: CorpusView, terms: Iterable[str], entities) -> set[str]:
    """The lemma ``terms`` (of ``view.lemmas``) most of whose sampled mentions the spaCy
    pipeline ``entities`` (`entity_pipeline`) reads as a person or a place."""
    groups = {lemma: group for group, lemma in enumerate(view.lemmas)}
    mentions = [m for term in terms for m in _mentions(view, groups[term])]
    votes: dict[str, list[int]] = {}
    docs = entities.pipe((m.text for m in mentions), batch_size=BATCH)
    for mention, doc in zip(mentions, docs, strict=True):
        tally = votes.setdefault(mention.term, [0, 0])
        tally[0] += _is_name(doc, mention)
        tally[1] += 1
    return {term for term, (names, seen) in votes.items() if names * 2 > seen}


def _mentions(view: CorpusView, group: int) -> list[Mention]:
    """Up to `SENTENCES` mentions of the group's most used form, or none when it cannot be
    a name (not capitalized, an acronym's, or written lower-case somewhere)."""
    counts = view.counts
    surfaces = view.surface_ids(group)
    names = [counts.names[i] for i in surfaces]
    if any(n in view.acronyms or n in view.expansions for n in names):
        return []
    main = max((counts.totals["count"][i], counts.names[i], i) for i in surfaces)[2]
    label = written_form(counts, main)
    if not _capitalized(label) or _common_word_in(view, label):
        return []
    return _sampled(view, main, label)


def _capitalized(label: str) -> bool:
    """Not in capitals, at most `MAX_WORDS` words; a lower-case label ("newell") passes
    here when its only sightings opened sentences (`_sampled` reads them again)."""
    words = label.replace("-", " ").split()
    return 0 < len(words) <= MAX_WORDS and not any(word.isupper() for word in words)


def _common_word_in(view: CorpusView, label: str) -> bool:
    """Whether a word of ``label`` is mostly written lower-case where the corpus counts it
    on its own: "Spacecraft Safing" is a heading's capitals, not a name."""
    counts, totals = view.counts, view.counts.totals
    for word in label.lower().split():
        i = counts.ids.get(word)
        if i is not None and totals["capitalized"][i] * 2 < totals["count"][i]:
            return True
    return False


def _sampled(view: CorpusView, surface_id: int, label: str) -> list[Mention]:
    """Mentions from the first documents; none if one of them writes it lower-case."""
    counts, surface = view.counts, view.counts.names[surface_id]
    _, _, sentences = counts.pairs.row_lists
    found: list[Mention] = []
    for row in counts.pairs.by_surface.rows(surface_id)[:MAX_SENTENCES]:
        sentence = counts.contexts[sentences[row]]
        written = form_in(sentence, surface)
        if written is None:
            continue
        form, clear = written
        if clear and form == surface:
            return []  # written lower-case mid-sentence: a common noun somewhere
        mention = _window(view.lemmas[view.lemma_ids[surface_id]], sentence, surface)
        if len(found) < SENTENCES and mention.text[mention.start].isupper():
            found.append(mention)
    return found


def _in_reference(mention: Mention) -> bool:
    text = mention.text
    if not (_YEAR.search(text) and _CITATION.search(text)):
        return False
    before = text[: mention.start]
    return sum(before.count(q) for q in '"“”') % 2 == 0  # not inside a quoted title


def _window(term: str, sentence: str, surface: str) -> Mention:
    at = sentence.lower().find(surface)
    start = max(0, at - WINDOW)
    text = sentence[start : at + len(surface) + WINDOW]
    return Mention(term, text, at - start, at - start + len(surface))


def _is_name(doc, mention: Mention) -> bool:
    """Whether an entity covering most of the mention is a person or a place, or the
    mention is an author or publisher of a reference (outside its quoted title)."""
    if _in_reference(mention):
        return True
    for entity in doc.ents:
        overlap = min(entity.end_char, mention.end) - max(entity.start_char, mention.start)
        if overlap * 2 > mention.end - mention.start:
            return entity.label_ in NAME_LABELS
    return False
