"""Group a pack's lessons into a handful of themes and name each theme.

Lessons are clustered by their document vectors (the mean of their chunks' embeddings) with
Ward's agglomerative clustering, cut at about √n themes (two to five). A theme is named by
what its lessons share and the other themes' lessons do not: approved glossary terms first,
then the tags its documents share, then distinctive phrases (the corpus's own term
candidates, weighted by how rare they are in the corpus).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from kb.kickoff.model import PackLesson, Theme

MIN_THEMES, MAX_THEMES = 2, 5
SMALL_PACK = 4  # this many lessons or fewer make one theme
LABEL_TERMS = 3
BIGRAM_WEIGHT = 1.3


@dataclass
class ThemeInputs:
    """What naming needs about each lesson's document, and the corpus statistics."""

    texts: dict[str, str]  # doc id -> title and sections, for phrases
    tags: dict[str, list[str]]
    glossary_forms: dict[str, str] = field(default_factory=dict)  # lower-cased form -> label
    phrases: dict[str, str] = field(default_factory=dict)  # corpus term candidates, as written
    df: dict[str, int] = field(default_factory=dict)  # corpus document frequency of phrases
    documents: int = 1


def group_lessons(
    lessons: list[PackLesson], vectors: dict[str, np.ndarray], inputs: ThemeInputs
) -> list[Theme]:
    """Themes, strongest first; each theme's lessons best first."""
    groups = cluster([vectors[lesson.id] for lesson in lessons])
    pack = [lesson.id for lesson in lessons]
    found = PackTerms.find(inputs, pack)
    themes = []
    for group in [[lessons[i] for i in group] for group in groups]:
        terms = theme_terms([m.id for m in group], pack, inputs, found)
        ordered = sorted(group, key=lambda m: -m.score)
        themes.append(Theme(label_from(terms, ordered), terms, ordered))
    return sorted(themes, key=lambda t: -max(m.score for m in t.lessons))


def theme_count(n: int) -> int:
    return 1 if n <= SMALL_PACK else max(MIN_THEMES, min(MAX_THEMES, round(math.sqrt(n))))


def cluster(vectors: list[np.ndarray]) -> list[list[int]]:
    """Indices of the vectors, grouped; Ward linkage on unit vectors (cosine geometry)."""
    count = theme_count(len(vectors))
    if count == 1:
        return [list(range(len(vectors)))]
    from scipy.cluster.hierarchy import fcluster, linkage

    matrix = np.stack(vectors).astype(np.float64)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    labels = fcluster(linkage(matrix, method="ward"), t=count, criterion="maxclust")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return list(groups.values())


@dataclass
class PackTerms:
    """What each of the pack's documents contains, computed once for all its themes."""

    glossary: dict[str, set[str]]
    tags: dict[str, set[str]]
    phrases: dict[str, set[str]]
    written: dict[str, str]  # lower-cased term -> how to show it

    @classmethod
    def find(cls, inputs: ThemeInputs, pack: list[str]) -> PackTerms:
        phrases, written = concepts(inputs, pack)
        written = {**inputs.phrases, **written, **_tag_forms(inputs), **inputs.glossary_forms}
        tags = {d: {t.lower() for t in inputs.tags[d]} for d in pack}
        return cls(_contained(inputs, pack, inputs.glossary_forms), tags, phrases, written)


def theme_terms(
    members: list[str], pack: list[str], inputs: ThemeInputs, found: PackTerms
) -> list[str]:
    """Glossary terms, shared tags, then distinctive phrases; no term inside another."""
    need = 1 if len(members) == 1 else 2
    written = found.written
    ranked = [
        *_ranked(members, pack, found.glossary, need),
        *_ranked(members, pack, found.tags, need),
        *_ranked(members, pack, found.phrases, need, inputs),
    ]
    chosen: list[str] = []
    for term in ranked:
        if not any(term in other or other in term for other in chosen):
            chosen.append(term)
        if len(chosen) == LABEL_TERMS:
            break
    return [written.get(term, term) for term in chosen]


def _tag_forms(inputs: ThemeInputs) -> dict[str, str]:
    return {tag.lower(): tag for tags in inputs.tags.values() for tag in tags}


def concepts(inputs: ThemeInputs, pack: list[str]) -> tuple[dict[str, set[str]], dict]:
    """Per document, the corpus phrases it writes as concepts: several words in lower case
    ("shift handover", not "Ben Achterberg" or "September") or an acronym in capitals."""
    longest = max((form.count(" ") + 1 for form in inputs.phrases), default=1)
    sets: dict[str, set[str]] = {}
    written: dict[str, str] = {}
    for doc in pack:
        tokens = re.findall(r"[\w-]+", inputs.texts[doc])
        found = set()
        for gram in _ngrams(tokens, longest):
            if " " in gram and gram in inputs.phrases:
                found.add(gram)
            elif " " not in gram and gram.isupper() and gram.lower() in inputs.phrases:
                found.add(gram.lower())
                written[gram.lower()] = gram
        sets[doc] = found
    return sets, written


def _ngrams(tokens: list[str], longest: int):
    for size in range(1, longest + 1):
        for start in range(len(tokens) - size + 1):
            yield " ".join(tokens[start : start + size])


def _ranked(members, pack, sets: dict[str, set[str]], need: int, inputs=None) -> list[str]:
    """Terms of `sets` in at least `need` members, by contrast with the rest of the pack."""
    outside = [d for d in pack if d not in members]
    counts: dict[str, int] = {}
    for doc in members:
        for term in sets[doc]:
            counts[term] = counts.get(term, 0) + 1
    scored = []
    for term, inside in counts.items():
        if inside < need:
            continue
        share_out = sum(term in sets[d] for d in outside) / max(1, len(outside))
        contrast = inside / len(members) - share_out
        if contrast > 0:
            scored.append((-contrast * _weight(term, inputs), term))
    return [term for _, term in sorted(scored)]


def _weight(term: str, inputs: ThemeInputs | None) -> float:
    if inputs is None:
        return 1.0
    idf = math.log((inputs.documents + 1) / (inputs.df.get(term, 1) + 0.5))
    return idf * (BIGRAM_WEIGHT if " " in term else 1.0)


def normalized(text: str) -> str:
    """Lower-cased words joined by single spaces, padded: for whole-word phrase tests."""
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def _contained(inputs: ThemeInputs, pack: list[str], forms: dict[str, str]) -> dict:
    """For each document, the forms (lower-cased) its text contains as whole words."""
    padded = {form: normalized(form) for form in forms}
    sets = {}
    for doc in pack:
        text = normalized(inputs.texts[doc])
        sets[doc] = {form for form, pad in padded.items() if pad in text}
    return sets


def label_from(terms: list[str], lessons: list[PackLesson]) -> str:
    """The theme's terms joined ("Vendor delays · procurement"), or its best lesson's title."""
    if not terms:
        return lessons[0].title
    label = " · ".join(terms)
    return label[:1].upper() + label[1:] if terms[0].islower() else label
