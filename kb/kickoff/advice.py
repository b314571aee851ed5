"""What a lesson says to do: its advice points, and the pack's deduplicated checklist."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from kb.documents.chunking import sentence_spans
from kb.documents.schema import Document
from kb.kickoff.actionable import is_action
from kb.kickoff.model import ChecklistItem, PackLesson
from kb.text import query_words

# Where advice lives, best first (kb.documents.schema.ACTIONABLE_SECTIONS, in the order a reader wants).
ADVICE_ORDER = ("recommendation", "lessons", "lesson", "actions", "decisions")
ADVICE_POINTS = 3
ADVICE_CHARS = 420
# Where checklist lines come from: advice first, then what was learned (decisions are too local).
CHECKLIST_ORDER = ("recommendation", "lessons", "lesson")
CHECKLIST_PER_LESSON = 2  # from a recommendation, those closest to the brief; else its first
CHECKLIST_MAX = 15
CHECKLIST_CHARS = 240
DUPLICATE_OVERLAP = 0.5  # Jaccard overlap of content stems at which two lines say the same
SAME_MEANING = 0.8  # cosine of two lines' embeddings at which they say the same

_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s*)?")
_ACTION_META = re.compile(r"\s*\((?=[^)]*\b(?:owner|due)\b)[^)]*\)\s*$", re.I)
_STOP_STEMS = frozenset({"the", "and", "for", "with", "that", "this", "are", "not", "our", "any"})


def advice_section(doc: Document):
    """The document's first section in ADVICE_ORDER, or None."""
    return next((s for key in ADVICE_ORDER if (s := doc.section(key)) and s.text.strip()), None)


def points(text: str) -> list[str]:
    """A section as points: its list items, or else its sentences; action metadata removed."""
    lines = [line for line in text.splitlines() if line.strip()]
    if any(_ITEM.match(line) for line in lines):
        items, current = [], []
        for line in lines:
            if _ITEM.match(line) and current:
                items.append(" ".join(current))
                current = []
            current.append(_ITEM.sub("", line).strip())
        items.append(" ".join(current))
    else:
        flat = " ".join(lines)
        items = [flat[s.start : s.end] for s in sentence_spans(flat)]
    cleaned = (_ACTION_META.sub("", item).strip() for item in items)
    return [item for item in cleaned if item and not item.endswith(":")]


def lesson_advice(doc: Document) -> tuple[str, list[str]]:
    """(section heading, its first points within ADVICE_CHARS)."""
    section = advice_section(doc)
    if section is None:
        return "", []
    chosen, used = [], 0
    for point in points(section.text)[:ADVICE_POINTS]:
        if chosen and used + len(point) > ADVICE_CHARS:
            break
        chosen.append(shorten(point, ADVICE_CHARS))
        used += len(point)
    return section.heading, chosen


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def stems(text: str) -> set[str]:
    return {_stem(w) for w in query_words(text.lower()) if len(w) > 2} - _STOP_STEMS


@lru_cache(maxsize=2**16)  # called for every word of every point: words repeat
def _stem(word: str) -> str:
    """A crude stem (vendor/vendors, delay/delayed), kept so that checklists stay as they were;
    FTS5's Porter stems (kb.text.stems) would change one or two lines in fifteen."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def checklist_points(doc: Document, brief: set[str]) -> tuple[str, list[str]]:
    """(section heading, its actions closest to the brief's words first) for the checklist:
    sentences a team can act on (actionable.is_action), from the recommendation first, else
    what was learned."""
    for key in CHECKLIST_ORDER:
        section = doc.section(key)
        if section is None or not section.text.strip():
            continue
        found = [s for point in points(section.text) for s in _sentences(point) if is_action(s)]
        if found:
            ranked = sorted(found, key=lambda p: (-len(stems(p) & brief), found.index(p)))
            chosen = ranked[:CHECKLIST_PER_LESSON]
            return section.heading, [shorten(p, CHECKLIST_CHARS) for p in chosen]
    return "", []


def _sentences(point: str) -> list[str]:
    return [point[s.start : s.end].strip() for s in sentence_spans(point)] or [point]


def checklist(
    lessons: list[PackLesson],
    docs: dict[str, Document],
    brief_text: str,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> list[ChecklistItem]:
    """Each lesson's best point, then their second ones; near-duplicates dropped (same words,
    or with `embed`, the same meaning)."""
    brief = stems(brief_text)
    offered = [(lesson, *checklist_points(docs[lesson.id], brief)) for lesson in lessons]
    rounds = max((len(found) for _, _, found in offered), default=0)
    items = [
        ChecklistItem(found[n], lesson.id, lesson.title, lesson.department, heading)
        for n in range(rounds)
        for lesson, heading, found in offered
        if n < len(found)
    ]
    return _distinct(items, embed)[:CHECKLIST_MAX]


def _distinct(items: list[ChecklistItem], embed) -> list[ChecklistItem]:
    vectors = embed([item.text for item in items]) if embed and items else None
    kept: list[int] = []
    for i, item in enumerate(items):
        words = stems(item.text)
        if any(_overlap(words, stems(items[j].text)) >= DUPLICATE_OVERLAP for j in kept):
            continue
        if vectors is not None and any(
            float(vectors[i] @ vectors[j]) >= SAME_MEANING for j in kept
        ):
            continue
        kept.append(i)
    return [items[i] for i in kept]


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
