"""Ranked candidates: best first, each built only when read."""

from __future__ import annotations

from indexer.terms import mine_counted
from tests.indexer.terms.support import counted_examples


def test_candidates_are_built_only_when_read():
    documents, found = counted_examples()
    result = mine_counted(documents, found)
    ranked = result.candidates
    built = ranked._built
    assert len(ranked) > 100 and not built
    top = ranked[:3]
    assert len(built) == 3 and ranked[-1] is ranked[len(ranked) - 1]
    assert top == list(ranked)[:3] and ranked == list(ranked)
    keys = [(-c.score, -c.frequency, c.term) for c in ranked]
    assert keys == sorted(keys)
    assert result.accepted == [c for c in ranked if c.accepted]
