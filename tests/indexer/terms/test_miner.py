"""The miner end to end on hand-built docs, the shipped model, and the real pipeline (slow)."""

from __future__ import annotations

import pytest

from indexer.terms import MinerConfig, SourceDocument, mine_counted, mine_parsed, mine_terms
from indexer.terms.doc_counts import count_document
from tests.indexer.terms.support import FakeNlp, doc_from_text

TEXTS = {
    "ops-1": ("Operations", "The wind turbine failed . The rotor blades were reviewed . "
              "We ran a root cause analysis ( RCA ) of the wind turbines ."),
    "ops-2": ("Operations", "The RCA found the rotor blade failed ."),
    "eng-1": ("Engineering", "A new wind turbine design used a large rotor blade ."),
}  # fmt: skip


def parsed():
    return [
        (SourceDocument(doc_id, text, {"department": dept}), doc_from_text(text))
        for doc_id, (dept, text) in TEXTS.items()
    ]


def by_term(result):
    return {candidate.term: candidate for candidate in result.candidates}


def test_miner_variants_are_grouped_under_the_lemma_form():
    turbine = by_term(mine_parsed(parsed()))["wind turbine"]
    assert turbine.variants == {"wind turbine": 2, "wind turbines": 1}
    assert turbine.frequency == 3 and turbine.document_frequency == 2
    assert turbine.doc_ids == {"ops-1", "eng-1"}


def test_miner_department_metadata_is_counted_per_term():
    blade = by_term(mine_parsed(parsed()))["rotor blade"]
    assert blade.metadata_counts == {"department": {"Engineering": 1, "Operations": 2}}


def test_miner_contexts_name_their_document():
    blade = by_term(mine_parsed(parsed()))["rotor blade"]
    assert 1 <= len(blade.contexts) <= 3
    assert all(c.doc_id in TEXTS and "rotor blade" in c.sentence.lower() for c in blade.contexts)


def test_miner_acronyms_are_paired_with_their_expansion():
    terms = by_term(mine_parsed(parsed()))
    assert terms["root cause analysis"].acronym == "RCA"
    assert terms["root cause analysis"].variants == {"rca": 2, "root cause analysis": 1}
    assert "rca" not in terms  # one candidate for both forms


def test_miner_ranking_is_deterministic_and_cut_off_keeps_a_prefix():
    first, second = mine_parsed(parsed()), mine_parsed(parsed())
    assert [c.term for c in first.candidates] == [c.term for c in second.candidates]
    flags = [c.accepted for c in first.candidates]
    assert any(flags) and flags == sorted(flags, reverse=True)
    assert first.ranked_strings() == [s for c in first.accepted for s in c.surface_forms]


def test_miner_cvalue_baseline_ranks_everything():
    result = mine_parsed(parsed(), MinerConfig(scorer="cvalue"))
    assert all(c.accepted for c in result.candidates)
    assert result.candidates[0].c_value >= result.candidates[-1].c_value


def test_miner_unknown_scorer_is_rejected():
    with pytest.raises(ValueError, match="unknown scorer"):
        mine_parsed(parsed(), MinerConfig(scorer="magic"))


def test_miner_documents_without_candidates():
    document = SourceDocument("none", "the and of")  # function words only
    (doc,) = FakeNlp().pipe([document.text])
    result = mine_counted([document], [count_document(doc)])
    assert len(result.candidates) == 0 and result.accepted == [] and result.n_documents == 1


@pytest.mark.slow
def test_miner_real_pipeline_mines_terms_and_acronyms():
    text = ("Engineers ran a root cause analysis (RCA) after the wind turbine failed. "
            "The RCA showed that the rotor blade pitch system had failed. "
            "Pitch system faults stop a wind turbine.")  # fmt: skip
    result = mine_terms([SourceDocument("L-1", text, {"department": "Ops"})])
    terms = by_term(result)
    assert terms["root cause analysis"].acronym == "RCA"
    assert terms["wind turbine"].frequency == 2
    assert terms["wind turbine"].metadata_counts == {"department": {"Ops": 2}}
    assert "wind turbine" in result.ranked_strings()
