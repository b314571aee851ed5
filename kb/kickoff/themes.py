"""Group a pack's lessons by the part of the brief they answer, and name each group.

A theme is one topic of the brief (topics.py) with the lessons chosen for it. It is named by
the distinctive phrase its lessons share with that part of the brief: the brief's words and
word pairs that most of the theme's lessons also use, rarest in the corpus first, approved
glossary terms before other words. Phrases that only the lessons share (a programme's name,
a category string, a document's title) never name a theme: a reader must recognise their own
brief in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.kickoff.model import PackLesson, Theme
from kb.kickoff.topics import Rarity, Topic, as_written, naming_weight
from kb.text.statistics import term_set

LABEL_TERMS = 2
GLOSSARY_RANK = 1000  # an approved glossary term names a theme before any plain phrase


@dataclass
class ThemeInputs:
    """What naming needs: each lesson's document text, the corpus's rarity and the glossary."""

    texts: dict[str, str]  # doc id -> title and sections
    rarity: Rarity
    glossary_forms: dict[str, str] = field(default_factory=dict)  # lower-cased form -> label
    excluded: set[str] = field(default_factory=set)  # lower-cased names: departments


def group_by_topic(
    lessons: list[PackLesson], topic_of: dict[str, int], topics: list[Topic], inputs: ThemeInputs
) -> list[Theme]:
    """Themes, strongest first; each theme's lessons best first."""
    groups: dict[int, list[PackLesson]] = {}
    for lesson in lessons:
        groups.setdefault(topic_of.get(lesson.id, 0), []).append(lesson)
    themes = []
    for index, members in groups.items():
        topic = topics[index] if index < len(topics) else None
        terms = theme_terms([m.id for m in members], topic, inputs)
        ordered = sorted(members, key=lambda m: -m.score)
        themes.append(Theme(label_from(terms, ordered), terms, ordered))
    return sorted(themes, key=lambda t: -max(m.score for m in t.lessons))


def theme_terms(members: list[str], topic: Topic | None, inputs: ThemeInputs) -> list[str]:
    """The topic's phrases most of the members use, best first; no term inside another; the
    topic's own phrase when its lessons share none of its words."""
    if topic is None:
        return []
    used = [term_set(inputs.texts[m]) for m in members]
    need = min(2, len(members))
    ranked = _ranked(topic.text, used, need, inputs) or _ranked(topic.text, used, 1, inputs)
    chosen: list[str] = []
    for term in ranked:
        plain = naming_weight(term, inputs.rarity) < 100  # a common word: only alone
        if chosen and plain:
            break
        if not any(term in other or other in term for other in chosen):
            chosen.append(term)
        if len(chosen) == LABEL_TERMS:
            break
    shown = [inputs.glossary_forms.get(t) or as_written(t, topic.text) for t in chosen]
    return shown or ([topic.phrase] if topic.phrase else [])


def _ranked(text: str, used: list[set[str]], need: int, inputs: ThemeInputs) -> list[str]:
    scored = []
    for term in term_set(text):
        if not inputs.rarity.telling(term) or term in inputs.excluded:
            continue
        inside = sum(term in terms for terms in used)
        if inside >= need:
            glossary = GLOSSARY_RANK if term in inputs.glossary_forms else 0
            share = inside / len(used)
            scored.append((-(glossary + share * naming_weight(term, inputs.rarity)), term))
    return [term for _, term in sorted(scored)]


def label_from(terms: list[str], lessons: list[PackLesson]) -> str:
    """The theme's terms joined ("Vendor interface · acceptance testing"), or, without any,
    its best lesson's title."""
    if not terms:
        return lessons[0].title
    label = " · ".join(terms)
    return label[:1].upper() + label[1:]
