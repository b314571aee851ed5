"""A brief's topics: its sentences grouped by what they are about, each named by its phrase.

A one-page brief names several distinct risks ("who owns the vendor interface", "staff
retiring", "acceptance-test terms in the contract"). Searching the brief as a whole finds
lessons on its main subject only, so the pack first splits the brief: its sentences are
clustered (average linkage) on a blend of meaning (their embeddings) and wording (TF-IDF of
their distinctive words, weighted by the corpus's document frequencies), neighbours in one
paragraph or list item held a little closer. Each topic then gets its own search and its
share of the pack (retrieval.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from kb.kickoff.vocabulary import zipf
from kb.text.statistics import term_set
from kb.text.words import CONTEXT_STOPWORDS

MAX_TOPICS = 6
MEANING_WEIGHT = 0.5  # the rest is TF-IDF cosine of the sentences' words
SAME_BLOCK_BONUS = 0.15  # sentences of one paragraph or list item usually continue a topic
SAME_TOPIC = 0.3  # blended similarity at which two groups of sentences share a topic
COMMON_SHARE = 0.25  # a word in more than this share of the corpus's documents is not telling
EVERYDAY_ZIPF = 5.0  # nor a word this common in general English ("around", "ground", "new")
NAMING_ZIPF = 4.0  # a single word names a topic only if rarer than this ("proration", "vendor")
NUMBER_WORDS = frozenset(
    """four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty hundred thousand million""".split()
)
LABEL_CHARS = 60
SHARED_SHARE = 1 / 3  # a word in this share of the other topics (at least two) is the subject


@dataclass(frozen=True)
class Topic:
    sentences: tuple[int, ...]  # indices into Brief.passages, in brief order
    text: str  # the sentences, joined
    phrase: str  # its most distinctive phrase, as the brief writes it
    focus: str = ""  # its words without those the brief's other topics share: what to search


@dataclass(frozen=True)
class Rarity:
    """Corpus document frequencies, for telling distinctive words from common ones."""

    df: dict[str, int]
    documents: int

    def idf(self, term: str) -> float:
        return math.log((self.documents + 1) / (self.df.get(term, 0) + 0.5))

    def telling(self, term: str) -> bool:
        """Rare enough in the corpus to say what a text is about; no filler word in it, and a
        single word not an everyday one."""
        words = term.split()
        if any(word in CONTEXT_STOPWORDS or word in NUMBER_WORDS for word in words):
            return False
        if len(words) == 1 and zipf(term) >= EVERYDAY_ZIPF:
            return False
        return self.df.get(term, 0) <= max(1, COMMON_SHARE * self.documents)


def split_topics(
    passages: list[str], vectors: np.ndarray, blocks: list[int], rarity: Rarity
) -> list[Topic]:
    """The brief's topics, in the order the brief first raises them."""
    if not passages:
        return []
    groups = sorted(_cluster(_similarity(passages, vectors, blocks, rarity)), key=min)
    texts = [" ".join(passages[i] for i in group) for group in groups]
    return [
        Topic(tuple(group), text, distinctive_phrase(text, rarity), focused(text, texts))
        for group, text in zip(groups, texts, strict=True)
    ]


def focused(text: str, topics: list[str]) -> str:
    """The topic's words less the content words several other topics also use: the brief's
    common subject ("station" in every part of a ground-station brief) would otherwise pull
    every topic's search to the same lessons."""
    others = [_content(other) for other in topics if other != text]
    need = max(2, math.ceil(len(others) * SHARED_SHARE))
    counts = Counter(word for bag in others for word in bag)
    elsewhere = {word for word, count in counts.items() if count >= need}
    words = re.findall(r"[\w'’&-]+", text)
    kept = [w for w in words if _key(w) not in elsewhere]
    return " ".join(kept) if len(_content(" ".join(kept))) >= 2 else text


def _content(text: str) -> set[str]:
    return {_key(w) for w in re.findall(r"[\w'’&-]+", text)} - CONTEXT_STOPWORDS


def _key(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.lower())
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _similarity(passages, vectors, blocks, rarity: Rarity) -> np.ndarray:
    meaning = np.asarray(vectors, dtype=np.float64)
    meaning /= np.maximum(np.linalg.norm(meaning, axis=1, keepdims=True), 1e-12)
    words = _tfidf(passages, rarity)
    similarity = MEANING_WEIGHT * (meaning @ meaning.T) + (1 - MEANING_WEIGHT) * (words @ words.T)
    same_block = np.equal.outer(np.asarray(blocks), np.asarray(blocks))
    return similarity + SAME_BLOCK_BONUS * same_block


def _tfidf(passages: list[str], rarity: Rarity) -> np.ndarray:
    """Unit rows of idf weights over the sentences' telling words (not pairs: too sparse)."""
    bags = [{t for t in term_set(p) if " " not in t and rarity.telling(t)} for p in passages]
    vocabulary = {term: i for i, term in enumerate(sorted(set().union(*bags)))}
    matrix = np.zeros((len(passages), max(1, len(vocabulary))))
    for row, bag in enumerate(bags):
        for term in bag:
            matrix[row, vocabulary[term]] = rarity.idf(term)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def _cluster(similarity: np.ndarray) -> list[list[int]]:
    """Average-linkage groups cut where groups are less similar than SAME_TOPIC; at most
    MAX_TOPICS groups."""
    count = len(similarity)
    if count == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform((distance + distance.T) / 2, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - SAME_TOPIC, criterion="distance")
    if labels.max() > MAX_TOPICS:
        labels = fcluster(tree, t=MAX_TOPICS, criterion="maxclust")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return list(groups.values())


def distinctive_phrase(text: str, rarity: Rarity) -> str:
    """The text's rarest word pair that the corpus uses (else any two neighbours would be
    "rarest"), or else its rarest uncommon word, as written."""
    terms = [t for t in term_set(text) if rarity.telling(t) and (" " not in t or t in rarity.df)]
    if not terms:
        return ""
    best = max(terms, key=lambda t: (naming_weight(t, rarity), t))
    return as_written(best, text)


def naming_weight(term: str, rarity: Rarity) -> float:
    """How well a term names a topic: pairs first ("acceptance testing"), then words rare in
    general English ("proration"), then other words; rarer in the corpus first within each."""
    rank = 2 if " " in term else 1 if zipf(term) < NAMING_ZIPF else 0
    return rank * 100 + rarity.idf(term)


def as_written(term: str, text: str) -> str:
    """How `text` writes a lower-cased term ("TT&C", "Interface control"), or the term."""
    words = [re.escape(w) for w in term.split()]
    match = re.search(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)", text, re.IGNORECASE)
    return match.group(0)[:LABEL_CHARS] if match else term
