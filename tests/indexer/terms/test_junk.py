"""Candidates no editor keeps are never ranked: calendar words, markup residue, broken words."""

from __future__ import annotations

from indexer.terms import SourceDocument, mine_parsed
from indexer.terms.junk import is_junk
from tests.indexer.terms.support import doc_from_text

TEXTS = {
    "a": "On Thursday the flight software failed . See JPL DocID 57312 , quot JPL problem quot .",
    "b": "In the eighties the flight software was rewritten in March 2003 .",
    "c": "Atmospheric Carbon and Transport ( ACT)-America flew . The flight software held .",
}


def test_junk_calendar_markup_and_broken_words_are_not_candidates():
    parsed = [(SourceDocument(k, t), doc_from_text(t)) for k, t in TEXTS.items()]
    terms = {c.term for c in mine_parsed(parsed).candidates}
    assert "flight software" in terms
    calendar = {"thursday", "eighties", "march 2003", "march"}
    residue = {term for term in terms if "docid" in term or "quot" in term.split()}
    broken = {term for term in terms if ")" in term or term.endswith("-")}
    assert not terms & calendar and not residue and not broken


def test_junk_rules_keep_real_terms():
    for junk in ("friday", "june 1998", "sep 12", "nineties", "nbsp", "act)-america", "verify--"):
        assert is_junk(junk), junk
    for term in ("amp hour", "quota", "c++", "f/h", "tea-teb", "problem/failure report", "sep"):
        assert not is_junk(term), term
