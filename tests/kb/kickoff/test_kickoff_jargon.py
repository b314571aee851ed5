"""The jargon detector and glossary matching, on hand-made text."""

from __future__ import annotations

from kb.glossary.model import Term
from kb.kickoff.glossary_terms import covered_words, glossary_matches
from kb.kickoff.jargon import JargonContext, as_read_by, find_jargon
from kb.kickoff.vocabulary import CorpusTerm

TEXT = """# Project Tidewater: Retention Programme

**Sponsor:** General Counsel · **Department:** Legal

We will run an enterprise resource planning (ERP) upgrade with Kestrel Hardware and the
Chief Revenue Officer. Customer Support and Finance join the CEO review; the budget is in EUR.
The first weeks after cutover are hypercare. The shift handover must name an owner.
The CAB approves the change freeze, and DPIA work starts in March 2027 with the SLA team.
"""

CORPUS = {
    "cutover": CorpusTerm("cutover", 14, written="cutover"),
    "shift handover": CorpusTerm("shift handover", 7, written="shift handover"),
    "sla": CorpusTerm("sla", 11, "service level agreement", "SLA"),
    "general ledger": CorpusTerm("general ledger", 3, written="general ledger"),
}
GLOSSARY = [
    Term("change freeze", "Change freeze", "No changes to production.", status="approved"),
    Term("cab", "Change advisory board", "Approves changes.", acronym="CAB", status="draft"),
    Term("old", "Hand-off", "Replaced.", status="deprecated"),
    Term("gone", "Retention", "Rejected.", decision="rejected"),
]


def context(glossary=GLOSSARY) -> JargonContext:
    return JargonContext(
        covered_words(glossary),
        CORPUS,
        {"Customer Support", "Finance", "Legal"},
        "Project Tidewater",
    )


def found() -> dict[str, tuple[str, str]]:
    return {t.text: (t.kind, t.hint) for t in find_jargon(TEXT, context())}


def test_kickoff_jargon_finds_acronyms_with_their_expansions():
    terms = found()
    assert terms["ERP"] == ("acronym", "the brief spells it out: enterprise resource planning")
    assert terms["SLA"] == ("acronym", "the lessons spell it out: service level agreement")
    assert terms["DPIA"] == ("acronym", "")
    for everyday in ("CEO", "EUR", "CAB"):  # CAB is in the glossary
        assert everyday not in terms


def test_kickoff_jargon_finds_capitalized_names_but_not_everyday_titles_or_departments():
    terms = found()
    assert terms["Kestrel Hardware"] == ("name", "")
    for not_a_name in ("Chief Revenue Officer", "Customer Support", "General Counsel", "March"):
        assert not_a_name not in terms
    assert not any("Tidewater" in text or "Retention" in text for text in terms)  # heading


def test_kickoff_jargon_finds_rare_words_and_corpus_terms():
    terms = found()
    assert terms["hypercare"] == ("term", "")
    assert terms["cutover"] == ("term", "used in 14 lessons")
    assert terms["shift handover"] == ("term", "used in 7 lessons")
    assert "general ledger" not in terms  # not in the brief
    assert "change freeze" not in terms and "owner" not in terms


def test_kickoff_jargon_skips_what_the_glossary_covers():
    glossary = [*GLOSSARY, Term("hypercare", "Hypercare", "Extra support after go-live.")]
    texts = [t.text for t in find_jargon(TEXT, context(glossary))]
    assert "hypercare" not in texts
    assert "ERP" in texts


def test_kickoff_jargon_is_empty_for_plain_english():
    plain = "We will open a new office and hire people for the support team next spring."
    assert find_jargon(plain, context()) == []


def test_kickoff_glossary_matches_in_brief_order_with_definitions():
    matches = glossary_matches(TEXT, GLOSSARY)
    assert [(m.label, m.found_as, m.status) for m in matches] == [
        ("Change advisory board", "CAB", "draft"),
        ("Change freeze", "change freeze", "approved"),
    ]
    assert matches[1].definition == "No changes to production."


def test_kickoff_glossary_acronyms_match_only_in_capitals():
    assert glossary_matches("We took a cab to the data centre.", GLOSSARY) == []
    assert [m.key for m in glossary_matches("Two change freezes a year.", GLOSSARY)] == [
        "change freeze"
    ]


GROUND = """Our team provides telemetry, tracking and command (TT&C) for a science satellite.
The ground station control software (GSCS-2) and the MIL-STD-1553 bus adapters are fifteen
years old. Vendor A's interface is described only in meeting notes; Site 2 keeps the old
baseband units. The antenna controller, the schedule and the network equipment are replaced.
"""


def test_kickoff_jargon_finds_defined_acronyms_and_product_codes():
    terms = {t.text: (t.kind, t.hint) for t in find_jargon(GROUND, context())}
    assert terms["TT&C"] == ("acronym", "the brief spells it out: telemetry, tracking and command")
    assert terms["GSCS-2"][0] == "code" and terms["MIL-STD-1553"][0] == "code"


def test_kickoff_jargon_skips_possessives_placeholders_and_common_words():
    texts = [t.text for t in find_jargon(GROUND, context())]
    assert not any("Vendor" in text or "Site" in text for text in texts)
    for common in ("antenna", "controller", "schedule", "network", "equipment", "interface"):
        assert common not in texts


def test_kickoff_jargon_as_read_by_keeps_only_what_the_readers_corpus_says():
    found = find_jargon(TEXT, context())
    assert as_read_by(found, CORPUS) == found  # the whole corpus: as built
    theirs = {"cutover": CorpusTerm("cutover", 2, written="cutover")}  # no SLA, no handover
    hints = {term.text: term.hint for term in as_read_by(found, theirs)}
    assert "shift handover" in {t.text for t in found} and "shift handover" not in hints
    assert hints["SLA"] == "" and hints["cutover"] == "used in 2 lessons"
    assert all("service level" not in hint for hint in hints.values())
    assert hints["hypercare"] == ""  # from the brief itself: kept
