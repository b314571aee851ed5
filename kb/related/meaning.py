"""Related by meaning: every chunk of a lesson looks for its nearest chunks elsewhere.

A document scores by its best-matching pair of passages and by how much of the lesson it
covers (the mean, over the lesson's chunks, of each one's best match in that document).
"""

from __future__ import annotations

import numpy as np

from kb.index.store import Store
from kb.index.vectors import VectorIndex

NEIGHBOURS_PER_CHUNK = 60
BEST_PAIR_WEIGHT = 0.6  # the rest of the score is coverage of the source document


def meaning_scores(
    store: Store, vectors: VectorIndex, matrix: np.ndarray, allowed: np.ndarray
) -> dict[int, float]:
    """{document rowid: score} of the documents holding a near neighbour of a chunk
    (``matrix``: the lesson's chunk vectors) among the ``allowed`` chunk ids."""
    hits = [vectors.search(row, NEIGHBOURS_PER_CHUNK, allowed) for row in matrix]
    owners = store.chunks.owners(sorted({cid for pairs in hits for cid, _ in pairs}))
    best: dict[int, float] = {}
    per_source: dict[int, dict[int, float]] = {}
    for source_index, pairs in enumerate(hits):
        for cid, score in pairs:
            doc = owners[cid]
            best[doc] = max(best.get(doc, -1.0), score)
            covered = per_source.setdefault(doc, {})
            covered[source_index] = max(covered.get(source_index, -1.0), score)
    n_source = max(1, len(matrix))
    return {
        doc: BEST_PAIR_WEIGHT * best[doc]
        + (1 - BEST_PAIR_WEIGHT) * sum(per_source[doc].values()) / n_source
        for doc in best
    }


def best_pair(matrix: np.ndarray, other: np.ndarray) -> tuple[int, int]:
    """(index in ``matrix``, index in ``other``) of the closest pair of chunk vectors."""
    similarity = matrix @ other.T
    i, j = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
    return int(i), int(j)
