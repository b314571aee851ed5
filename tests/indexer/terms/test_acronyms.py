"""Acronyms paired with their expansions (Schwartz & Hearst)."""

from __future__ import annotations

from indexer.terms.acronyms import best_long_form, find_acronyms, is_short_form


def test_acronyms_after_its_expansion():
    pairs = find_acronyms(["We ran a root cause analysis (RCA) after the outage."])
    assert pairs == {"rca": "root cause analysis"}


def test_acronyms_before_its_expansion():
    assert find_acronyms(["The RCA (root cause analysis) took a week."]) == {
        "rca": "root cause analysis"
    }


def test_acronyms_parentheses_that_are_not_acronyms_are_ignored():
    assert find_acronyms(["It was fine (see above).", "Costs rose (2019)."]) == {}


def test_acronyms_short_form_letters_must_appear_in_order():
    assert (
        best_long_form("HAWT", "the horizontal axis wind turbine") == "horizontal axis wind turbine"
    )
    assert best_long_form("XYZ", "root cause analysis") is None
    assert is_short_form("EU") and not is_short_form("see above")
