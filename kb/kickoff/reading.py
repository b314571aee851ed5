"""A saved pack as the person opening it may read it, checked against the live index.

A pack is saved as its author saw it, so it may hold lessons that someone else may not read
(a restricted lesson of the author's department), or lessons an index run has since removed.
Every view of a saved pack (page, print view, Markdown, JSON, the list) goes through
`as_read_by`: those lessons are left out and counted in `hidden`, never named, and what was
derived from them goes too: their checklist lines and open actions, the theme names their
text chose, and the jargon hints the corpus's candidates gave.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kb.access import Viewer
from kb.documents.schema import Document
from kb.index.filters import Filters
from kb.kickoff.jargon import as_read_by as jargon_as_read_by
from kb.kickoff.model import BriefTopic, KickoffPack, Theme
from kb.kickoff.storage import PackSummary
from kb.kickoff.themes import label_from
from kb.kickoff.vocabulary import corpus_terms
from kb.knowledge_base import KnowledgeBase

_WORD = re.compile(r"\w+")


class Readable:
    """The documents one viewer may read in the live index: ids checked with the access
    filter in batches (one query for a whole list of packs), each answer kept."""

    def __init__(self, kb: KnowledgeBase, viewer: Viewer):
        self.kb = kb
        self.viewer = viewer
        self._readable: dict[str, bool] = {}

    @property
    def access(self) -> Filters:
        return Filters(viewer=self.viewer, default_sensitivity=self.kb.settings.default_sensitivity)

    def check(self, doc_ids) -> None:
        """Look up those of `doc_ids` not checked yet, in one query."""
        unknown = [doc_id for doc_id in dict.fromkeys(doc_ids) if doc_id not in self._readable]
        if unknown:
            passing = self.kb.store.documents.ids_passing(unknown, self.access)
            self._readable.update((doc_id, doc_id in passing) for doc_id in unknown)

    def __contains__(self, doc_id: str) -> bool:
        self.check([doc_id])
        return self._readable[doc_id]

    def document(self, doc_id: str) -> Document | None:
        """The document, or None when it is gone or the viewer may not read it."""
        return self.kb.store.documents.get(doc_id) if doc_id in self else None

    def document_count(self) -> int:
        """How many documents of the live index the viewer may read."""
        return sum(count for _, count in self.kb.departments(self.viewer))


def as_read_by(pack: KickoffPack, readable: Readable) -> KickoffPack:
    """The pack with only what `readable`'s viewer may read now; `hidden` counts the rest."""
    readable.check(lesson.id for lesson in pack.lessons)
    themes = [theme for theme in (_theme(t, readable) for t in pack.themes) if theme.lessons]
    shown = {lesson.id for theme in themes for lesson in theme.lessons}
    return replace(
        pack,
        themes=themes,
        checklist=[item for item in pack.checklist if item.doc_id in shown],
        actions=[action for action in pack.actions if action.doc_id in shown],
        topics=[_topic(topic, shown) for topic in pack.topics],
        jargon=_jargon(pack, readable),
        index={**pack.index, "documents": readable.document_count()},
        hidden=len({lesson.id for lesson in pack.lessons} - shown),
    )


def summary_as_read_by(pack: KickoffPack, readable: Readable) -> PackSummary:
    """The list's line for a pack: its lessons and themes the viewer may read (check every
    pack's lessons first, for one query)."""
    readable.check(lesson.id for lesson in pack.lessons)
    themes = [[lesson for lesson in t.lessons if lesson.id in readable] for t in pack.themes]
    lessons = sum(len(members) for members in themes)
    kept = sum(bool(members) for members in themes)
    return PackSummary(pack.id, pack.title, pack.department, pack.created_at, lessons, kept)


def _theme(theme: Theme, readable: Readable) -> Theme:
    """The theme's readable lessons; when some are left out, its terms are those that most
    of the rest still use (the rule themes.py named it by), its label made from them."""
    lessons = [lesson for lesson in theme.lessons if lesson.id in readable]
    if len(lessons) == len(theme.lessons) or not lessons:
        return replace(theme, lessons=lessons)
    texts = [_folded(readable.document(lesson.id)) for lesson in lessons]
    need = min(2, len(lessons))
    terms = [t for t in theme.terms if sum(_folded_words(t) in text for text in texts) >= need]
    return Theme(label_from(terms, lessons), terms, lessons)


def _jargon(pack: KickoffPack, readable: Readable) -> list:
    """The jargon with hints from the candidates of what the viewer may read; only those
    its terms name are read (all of NASA's took 20 to 90 ms, these a few)."""
    if not pack.jargon:
        return []
    forms = sorted({" ".join(term.text.lower().split()) for term in pack.jargon})
    corpus = corpus_terms(readable.kb.store, readable.access, forms)
    return jargon_as_read_by(pack.jargon, corpus)


def _topic(topic: BriefTopic, shown: set[str]) -> BriefTopic:
    return replace(topic, lessons=[doc_id for doc_id in topic.lessons if doc_id in shown])


def _folded(doc: Document | None) -> str:
    return "" if doc is None else _folded_words(f"{doc.title}\n{doc.body_text}")


def _folded_words(text: str) -> str:
    """Words only, lower-cased, space-separated and -ended: "in" tests for whole words."""
    return " " + " ".join(_WORD.findall(text.casefold())) + " "
