"""Candidate spans from POS patterns, and their counts, on hand-built docs."""

from __future__ import annotations

from indexer.terms.collect import count_corpus
from indexer.terms.doc_counts import lemma_key
from indexer.terms.patterns import SpanLimits, iter_candidate_spans
from tests.indexer.terms.support import doc_from_text, make_doc


def spans_of(doc, limits=SpanLimits()) -> set[str]:
    return {span.text.lower() for span in iter_candidate_spans(doc, limits)}


def test_patterns_noun_phrases_and_their_parts_are_candidates():
    spans = spans_of(doc_from_text("The root cause analysis failed ."))
    assert {"root cause analysis", "cause analysis", "analysis", "root", "failed"} <= spans
    assert not any(span.startswith("the") for span in spans)


def test_patterns_multiword_terms_end_on_a_noun():
    spans = spans_of(doc_from_text("a large horizontal turbine"))
    assert "large horizontal turbine" in spans and "horizontal turbine" in spans
    assert "large horizontal" not in spans


def test_patterns_prepositional_terms_need_a_noun_after_the_link():
    spans = spans_of(doc_from_text("abuse of the power was found"))
    assert "abuse of the power" in spans
    assert "abuse of" not in spans and "abuse of the" not in spans


def test_patterns_hyphenated_compounds_are_never_cut():
    doc = make_doc(["three", "-", "bladed", "rotor"], spaces=[False, False, True, False],
                   pos=["NUM", "PUNCT", "VERB", "NOUN"])  # fmt: skip
    spans = spans_of(doc)
    assert {"three-bladed rotor", "three-bladed", "rotor"} <= spans
    assert "bladed rotor" not in spans and "three" not in spans


def test_patterns_a_possessive_or_slash_may_be_cut_at():
    doc = make_doc(["the", "legislator", "'s", "intention"], spaces=[True, False, True, False],
                   pos=["DET", "NOUN", "PART", "NOUN"])  # fmt: skip
    assert {"legislator", "legislator's intention", "intention"} <= spans_of(doc)
    slash = make_doc(["drag", "/", "lift", "ratio"], spaces=[False, False, True, False])
    assert {"drag", "drag/lift ratio", "lift ratio"} <= spans_of(slash)


def test_patterns_line_breaks_and_sentence_starts_split_candidates():
    spans = spans_of(make_doc(["wind", "\n", "turbine", ".", "Rotor", "blade"]))
    assert "wind turbine" not in spans and "turbine rotor" not in spans
    assert "rotor blade" in spans


def test_patterns_length_limit_applies():
    doc = doc_from_text("blade root flange bolt torque check")
    assert "blade root flange bolt torque check" not in spans_of(doc, SpanLimits(max_words=5))


def test_patterns_lemma_key_groups_inflections():
    doc = doc_from_text("Wind turbines and wind turbine")
    assert lemma_key(doc[0:2]) == lemma_key(doc[3:5]) == "wind turbine"


def test_patterns_counts_record_frequency_documents_and_capitalization():
    docs = [("d1", doc_from_text("we run the Wind Turbine . the wind turbine failed")),
            ("d2", doc_from_text("a wind turbine"))]  # fmt: skip
    counts = count_corpus(docs)
    stats = counts.surfaces["wind turbine"]
    assert stats.count == 3 and dict(stats.doc_counts) == {"d1": 2, "d2": 1}
    assert stats.capitalized == 1 and stats.lemma == "wind turbine"
    assert counts.n_documents == 2 and counts.word_counts["turbine"] == 3
    assert stats.contexts[0].doc_id == "d1" and "Wind Turbine" in stats.contexts[0].sentence
