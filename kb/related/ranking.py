"""Ranking related lessons: shared words and meaning together, a lesson that names the other
first, and no one department filling the list.

On the development pairs (lessons whose authors linked them, benchmarks/bench_related_pairs.py)
the partner is in the top 10 for 0.65 of pairs by meaning alone, 0.87 by words alone, 0.90
by both, and 0.98 when a lesson naming the other (title, address, number) comes first.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from kb.index.store import Store

POOL = 100  # the documents closest in words that are weighed with meaning
MEANING_WEIGHT = 0.3  # meaning beside words scaled to 1 at the best: 0.2 to 0.5 did as well
CITATION_BONUS = 1.0  # more than words and meaning can add up to


@dataclass
class Ranked:
    rowid: int
    score: float


def fuse(words: np.ndarray | None, meaning: dict[int, float], excluded: list[int]) -> list[Ranked]:
    """Documents by words (cosine scaled to 1 at the best, the ``excluded`` rowids left out)
    plus MEANING_WEIGHT x meaning, best first; by meaning alone without ``words``."""
    if words is None:
        return sorted((Ranked(d, s) for d, s in meaning.items()), key=lambda r: -r.score)
    words = np.array(words, dtype=np.float64)
    excluded = [r for r in excluded if 0 <= r < len(words)]
    words[excluded] = 0.0
    top = np.argsort(-words)[:POOL]
    top = top[words[top] > 0]
    peak = float(words[top[0]]) if len(top) else 1.0
    pool = set(top.tolist()) | set(meaning)

    def score(doc: int) -> float:
        lexical = words[doc] / peak if doc < len(words) else 0.0
        return lexical + MEANING_WEIGHT * meaning.get(doc, 0.0)

    return sorted((Ranked(d, score(d)) for d in pool), key=lambda r: (-r.score, r.rowid))


def put_named_first(ranked: list[Ranked], named: set[int], allowed: set[int]) -> list[Ranked]:
    """The ``named`` documents (a lesson naming the other) raised by CITATION_BONUS; those
    not ranked yet join, if ``allowed``."""
    have = {r.rowid for r in ranked}
    ranked = ranked + [Ranked(d, 0.0) for d in sorted(named & allowed - have)]
    for item in ranked:
        if item.rowid in named:
            item.score += CITATION_BONUS
    return sorted(ranked, key=lambda r: (-r.score, r.rowid))


def diversify(ranked: list[Ranked], store: Store, k: int, own: str | None = None) -> list[Ranked]:
    """Best first, at most about a third of the list from any one other department; the
    ``own`` department, when asked for, is not held back (its lessons were asked for)."""
    rows = store.documents.rows([c.rowid for c in ranked[: k * 10]])
    cap = max(1, math.ceil(k / 3))
    per_department: dict[str, int] = defaultdict(int)
    chosen, held_back = [], []
    for cand in ranked[: k * 10]:
        department = rows[cand.rowid]["department"]
        if department == own or per_department[department] < cap:
            per_department[department] += 1
            chosen.append(cand)
        else:
            held_back.append(cand)
        if len(chosen) == k:
            return chosen
    return chosen + held_back[: k - len(chosen)]
