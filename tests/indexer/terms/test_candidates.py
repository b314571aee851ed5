"""Ranked candidates: best first, each built only when read."""

from __future__ import annotations

from indexer.terms import SourceDocument, TermCandidate, mine_counted, mine_parsed
from indexer.terms.models import CandidateSummary, RankedCandidates
from tests.indexer.terms.support import counted_examples, doc_from_text


def test_candidates_are_built_only_when_read():
    built: list[int] = []

    def build(position: int) -> TermCandidate:
        built.append(position)
        return TermCandidate(f"t{position}", {f"t{position}": 1}, 1, 1, accepted=position < 2)

    def summarize(position: int) -> CandidateSummary:
        return CandidateSummary(f"t{position}", 1.0 - position / 10, position < 2)

    ranked = RankedCandidates([True, True, False, False], build, summarize)
    assert len(ranked) == 4 and ranked.summary(3).term == "t3" and built == []
    top = ranked[:2]
    assert built == [0, 1] and ranked[-4] is top[0]  # built once, kept
    assert ranked.accepted() == top and built == [0, 1]
    assert [c.term for c in ranked] == ["t0", "t1", "t2", "t3"] and built == [0, 1, 2, 3]


def test_candidates_are_ranked_by_score_then_frequency_then_term():
    documents, found = counted_examples()
    result = mine_counted(documents, found)
    ranked = result.candidates
    assert len(ranked) > 100
    assert ranked[:3] == list(ranked)[:3] and ranked == list(ranked)
    keys = [(-c.score, -c.frequency, c.term) for c in ranked]
    assert keys == sorted(keys)
    assert result.accepted == [c for c in ranked if c.accepted]
    assert [ranked.summary(i).term for i in range(5)] == [c.term for c in ranked[:5]]


ROVER_TEXTS = {
    "a": "The Mars Exploration Rover ( MER ) landed . Engineers reviewed the MER wheels .",
    "b": "Later the Mars Exploration Rover team found the MER wheels worn .",
    "c": "One Mars Exploration Rover test ran .",
}


def rover_candidates():
    parsed = [(SourceDocument(k, t), doc_from_text(t)) for k, t in ROVER_TEXTS.items()]
    return {c.term: c for c in mine_parsed(parsed).candidates}


def test_candidates_acronym_and_expansion_are_one_candidate():
    found = rover_candidates()
    rover = found["mars exploration rover"]
    assert rover.acronym == "MER" and rover.expansion is None
    assert rover.variants == {"mars exploration rover": 3, "mer": 3}
    assert rover.document_frequency == 3
    assert "mer" not in found


def test_candidates_are_labelled_as_most_often_written():
    found = rover_candidates()
    assert found["mars exploration rover"].display_form == "Mars Exploration Rover"
    assert found["mer wheels"].display_form == "MER wheels"
    assert found["engineers"].display_form == "engineers"  # capitalized to start a sentence
