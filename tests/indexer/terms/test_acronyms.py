"""Acronyms paired with their expansions (Schwartz & Hearst)."""

from __future__ import annotations

from indexer.terms.acronyms import acronym_forms, best_long_form, find_acronyms, is_short_form


def test_acronyms_after_its_expansion():
    pairs = find_acronyms(["We ran a root cause analysis (RCA) after the outage."])
    assert pairs == {"rca": "root cause analysis"}


def test_acronyms_before_its_expansion():
    assert find_acronyms(["The RCA (root cause analysis) took a week."]) == {
        "rca": "root cause analysis"
    }


def test_acronyms_a_full_stop_ending_the_parenthesis_is_not_part_of_the_acronym():
    text = "Held a System Requirements Review (SRR.) and a Foreign Object Debris (F.O.D.) walk."
    assert acronym_forms([text]).written == {
        "srr": "SRR", "system requirements review": "System Requirements Review",
        "f.o.d.": "F.O.D.", "foreign object debris": "Foreign Object Debris",
    }  # fmt: skip


def test_acronyms_parentheses_that_are_not_acronyms_are_ignored():
    assert find_acronyms(["It was fine (see above).", "Costs rose (2019)."]) == {}


def test_acronyms_short_form_letters_must_appear_in_order():
    assert (
        best_long_form("HAWT", "the horizontal axis wind turbine") == "horizontal axis wind turbine"
    )
    assert best_long_form("XYZ", "root cause analysis") is None
    assert is_short_form("EU") and not is_short_form("see above")


def test_acronyms_expansion_accounts_for_every_letter():
    name = "the American Institute of Aeronautics and Astronautics"
    assert best_long_form("AIAA", name) == "American Institute of Aeronautics and Astronautics"
    assert best_long_form("AIAA", "of Aeronautics and Astronautics") is None  # no "I", no 4th A
    assert best_long_form("PPE", "wear the protective equipment") is None  # a P unaccounted
    assert best_long_form("PPE", "wear personal protective equipment") == (
        "personal protective equipment"
    )
    assert best_long_form("ESD", "caused by electrostatic discharge") == "electrostatic discharge"
    assert best_long_form("COTS", "buy commercial off-the-shelf") == "commercial off-the-shelf"


def test_acronyms_expansion_never_starts_with_a_function_word():
    text = "Audits by the Office of Safety and Assurance Technologies (OSAT) resumed."
    assert find_acronyms([text]) == {"osat": "office of safety and assurance technologies"}
    assert best_long_form("OSAT", "of Safety and Assurance Technologies") is None
