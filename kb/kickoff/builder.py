"""Build a kickoff pack: retrieve, explain, group, extract; everything local, nothing saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kb.documents.schema import Document
from kb.glossary.model import Term
from kb.index.filters import Filters
from kb.index.store import Store
from kb.kickoff.advice import checklist, lesson_advice, shorten
from kb.kickoff.brief import Brief, parse_brief
from kb.kickoff.glossary_terms import covered_words, glossary_matches, usable_terms
from kb.kickoff.jargon import JargonContext, find_jargon
from kb.kickoff.model import (
    BriefTopic,
    KickoffPack,
    KickoffRequest,
    MatchReason,
    OpenAction,
    PackLesson,
)
from kb.kickoff.reading import Readable
from kb.kickoff.retrieval import Candidate, retrieve
from kb.kickoff.themes import ThemeInputs, group_by_topic
from kb.kickoff.topics import Rarity, Topic, split_topics
from kb.kickoff.vocabulary import CorpusTerm, corpus_terms, zipf
from kb.knowledge_base import KnowledgeBase
from kb.text.statistics import shared_terms, term_set

REASON_SENTENCE_CHARS = 160
TOPIC_CHARS = 200
REASON_TERMS = 4
TELLING_ZIPF = 4.0
MAX_ACTIONS = 12


@dataclass
class Material:
    """What the pack's documents and the corpus say, read once from one generation."""

    docs: dict[str, Document]
    texts: dict[str, str]
    df: dict[str, int]  # corpus document frequencies of words, pairs and term candidates
    documents: int
    corpus: dict[str, CorpusTerm]
    departments: set[str]

    @classmethod
    def read(cls, store: Store, found: list[Candidate], brief: Brief, access: Filters) -> Material:
        found_docs = {c.hit.id: store.documents.get(c.hit.id) for c in found}
        # An index run may publish between the searches and this read; skip vanished documents.
        docs = {doc_id: doc for doc_id, doc in found_docs.items() if doc is not None}
        texts = {doc_id: document_text(doc) for doc_id, doc in docs.items()}
        words = set(term_set(brief.text)).union(*map(term_set, texts.values()))
        departments = {name for name, _ in store.documents.departments()}
        documents = store.documents.count()
        df = store.term_stats.df(sorted(words))
        return cls(docs, texts, df, documents, corpus_terms(store, access), departments)

    def jargon_context(self, terms: list[Term], title: str) -> JargonContext:
        return JargonContext(covered_words(terms), self.corpus, self.departments, title)


def build_pack(
    kb: KnowledgeBase, request: KickoffRequest, glossary: Iterable[Term] = ()
) -> KickoffPack:
    """The pack for a brief; kb.kickoff.BriefError if the brief cannot make one."""
    brief = parse_brief(request.brief, request.title)
    terms = usable_terms(glossary)
    store = kb.store  # one generation for the whole pack
    vectors = kb.embed_queries(brief.passages or [brief.text])
    rarity = Rarity(store.term_stats.df(sorted(term_set(brief.text))), store.documents.count())
    topics = split_topics(brief.passages, vectors, list(brief.blocks), rarity)
    found = retrieve(kb, brief, request, topics, vectors, rarity)
    readable = Readable(kb, request.viewer)
    material = Material.read(store, found, brief, readable.access)
    found = [c for c in found if c.hit.id in material.docs]
    lessons = [make_lesson(c, material, brief, request.department) for c in found]
    topic_of = {c.hit.id: c.topic or 0 for c in found}
    themes = _themes(lessons, topic_of, topics, material, terms)
    ordered = [lesson for theme in themes for lesson in theme.lessons]
    return KickoffPack(
        title=brief.title,
        brief=request.brief,
        themes=themes,
        checklist=checklist(ordered, material.docs, brief.text, kb.embed_queries),
        glossary=glossary_matches(brief.text, terms),
        jargon=find_jargon(request.brief, material.jargon_context(terms, brief.title)),
        actions=open_actions(store, ordered),
        **_about_project(request),
        created_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        index=_index_info(kb, readable.document_count()),
        topics=brief_topics(topics, found),
    )


def brief_topics(topics: list[Topic], found: list[Candidate]) -> list[BriefTopic]:
    """Each part of the brief with the pack's lessons on it (none: nothing in the index is)."""
    return [
        BriefTopic(
            shorten(topic.text, TOPIC_CHARS),
            topic.phrase,
            [c.hit.id for c in found if c.on_topic(index)],
        )
        for index, topic in enumerate(topics)
    ]


def _about_project(request: KickoffRequest) -> dict:
    return {"department": request.department, "phase": request.phase, "tags": list(request.tags)}


def _themes(lessons, topic_of: dict[str, int], topics: list[Topic], material, terms) -> list:
    if not lessons:
        return []
    rarity = Rarity(material.df, material.documents)
    excluded = {name.lower() for name in material.departments}  # "HR" is not a theme
    inputs = ThemeInputs(material.texts, rarity, _forms(terms), excluded)
    return group_by_topic(lessons, topic_of, topics, inputs)


def make_lesson(found: Candidate, material: Material, brief: Brief, department: str) -> PackLesson:
    doc = material.docs[found.hit.id]
    section, advice = lesson_advice(doc)
    shared = telling(
        shared_terms(brief.text, material.texts[doc.id], material.df, material.documents, 12)
    )
    hit = found.hit
    return PackLesson(
        id=hit.id,
        title=hit.title,
        type=hit.type,
        department=hit.department,
        date=hit.date,
        score=round(found.score, 4),
        advice=advice,
        advice_section=section,
        project=hit.project,
        other_department=bool(department) and hit.department != department,
        reason=_reason(found, brief, shared),
    )


def _reason(found: Candidate, brief: Brief, shared: list[str]) -> MatchReason:
    shared = shared[:REASON_TERMS] or telling(found.terms)[:REASON_TERMS]
    best = found.best or found.nearest  # a sentence search's hit, or else its closest sentence
    if best is None or best.sentence >= len(brief.passages):
        return MatchReason(shared_terms=shared)
    sentence = shorten(brief.passages[best.sentence], REASON_SENTENCE_CHARS)
    return MatchReason(sentence, best.section, best.section_key, round(best.similarity, 3), shared)


def telling(terms: list[str]) -> list[str]:
    """Shared terms worth showing: word pairs, and single words not common in general English
    ("capex" yes, "middle" and "network" no)."""
    return [t for t in terms if " " in t or zipf(t) < TELLING_ZIPF]


def document_text(doc: Document) -> str:
    return f"{doc.title}\n{doc.body_text}"


def open_actions(store: Store, lessons: list[PackLesson]) -> list[OpenAction]:
    """Action items not done in the pack's documents, those with a due date first (soonest)."""
    found = []
    for lesson in lessons:
        for row in store.documents.actions(store.documents.rowid(lesson.id)):
            if not row["done"]:
                found.append(
                    OpenAction(
                        row["text"], lesson.id, lesson.title, lesson.department,
                        row["owner"] or "", row["due"] or "",
                    )
                )  # fmt: skip
    found.sort(key=lambda a: (not a.due, a.due, a.doc_title))
    return found[:MAX_ACTIONS]


def _forms(terms: list[Term]) -> dict[str, str]:
    """Approved terms' lower-cased forms -> their label, for naming themes."""
    return {f.casefold(): t.label for t in terms if t.status == "approved" for f in t.forms}


def _index_info(kb: KnowledgeBase, documents: int) -> dict:
    manifest = kb.manifest
    return {"generation": manifest.generation, "model": manifest.model, "documents": documents}
