"""Themes: one per part of the brief, named by the phrase its lessons share with that part."""

from __future__ import annotations

from kb.kickoff.model import PackLesson
from kb.kickoff.themes import ThemeInputs, group_by_topic
from kb.kickoff.topics import Rarity, Topic

TOPICS = [
    Topic((0,), "The contracts do not say how acceptance testing of delivered units is done.", ""),
    Topic((1,), "Two engineers who know the station software retire next year.", "retire"),
]
TEXTS = {
    "a": "ISS ground segment. Acceptance testing at the vendor missed a fault. ISS crew time.",
    "b": "Write acceptance testing into the contract before signing. The ISS ground segment.",
    "c": "Capture knowledge before engineers retire; the ISS ground segment lost it.",
}
DF = {"acceptance testing": 4, "acceptance": 9, "testing": 60, "contracts": 40, "iss": 30}
DF |= {"ground segment": 25, "engineers": 80, "retire": 6, "station software": 3}


def lesson(doc_id: str, score: float) -> PackLesson:
    return PackLesson(doc_id, f"Title of {doc_id}", "lesson", "Engineering", "2024-01-01", score)


def inputs(**extra) -> ThemeInputs:
    return ThemeInputs(TEXTS, Rarity(DF, 1000), **extra)


def themes(**extra):
    lessons = [lesson("a", 0.9), lesson("b", 0.8), lesson("c", 0.7)]
    return group_by_topic(lessons, {"a": 0, "b": 0, "c": 1}, TOPICS, inputs(**extra))


def test_kickoff_themes_follow_the_brief_topics_strongest_first():
    found = themes()
    assert [[m.id for m in t.lessons] for t in found] == [["a", "b"], ["c"]]


def test_kickoff_themes_are_named_by_a_phrase_shared_with_the_brief():
    first, second = themes()
    assert first.label == "Acceptance testing"  # not "ISS" nor "ground segment": not in the brief
    assert second.label == "Retire"


def test_kickoff_themes_prefer_an_approved_glossary_term():
    named = themes(glossary_forms={"acceptance": "Acceptance (verification)"})[0]
    assert named.terms[0] == "Acceptance (verification)"


def test_kickoff_themes_without_a_shared_phrase_use_the_topic_phrase():
    lessons = [lesson("x", 0.5)]
    alone = ThemeInputs({"x": "Nothing alike."}, Rarity(DF, 1000))
    found = group_by_topic(lessons, {"x": 1}, TOPICS, alone)
    assert found[0].label == "Retire"
