"""Names replaced by roles for readers outside a document's department: the document, its
actions, search hits, related lessons and kickoff packs, through the KnowledgeBase."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest

from kb.access import Viewer
from kb.index.generations import CURRENT, DB_NAME
from kb.index.people import DocumentPeople
from kb.kickoff import KickoffRequest, build_pack
from kb.knowledge_base import KnowledgeBase
from kb.redaction import NameMask
from kb.search import SearchRequest
from tests.kb.redaction_corpus import MEMBER, OUTSIDER, build_redaction_index, named


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return build_redaction_index(tmp_path_factory.mktemp("redaction"))


@pytest.fixture(scope="module")
def kb(settings) -> KnowledgeBase:
    return KnowledgeBase(settings)


def document_text(view) -> str:
    return json.dumps(view.to_dict())


@pytest.mark.parametrize("viewer", [OUTSIDER, Viewer.anonymous()], ids=["outsider", "anonymous"])
def test_redaction_document_shows_roles_outside_its_department(kb, viewer):
    view = kb.document("cutover", viewer)
    assert named(document_text(view)) == []
    assert view.document.authors == ["the author"]
    assert view.document.participants == ["a participant", "a participant"]
    assert [a["owner"] for a in view.actions] == ["the action owner"]
    went_well = view.document.sections[0].text
    assert went_well.startswith("The author rolled back")
    assert "minutes. A participant paged the gasket vendor" in went_well
    assert view.names_hidden and not view.text_names_read  # no spaCy in this index


@pytest.mark.parametrize("viewer", [MEMBER, Viewer.system()], ids=["member", "admin"])
def test_redaction_document_keeps_names_for_its_department_and_admins(kb, viewer):
    view = kb.document("cutover", viewer)
    assert view.document.authors == ["Jenna Cole"]
    assert [a["owner"] for a in view.actions] == ["Mei Tanaka"]
    assert not view.names_hidden


def test_redaction_setting_off_shows_names_to_everyone(settings):
    plain = KnowledgeBase(dataclasses.replace(settings, redact_names_outside_department=False))
    view = plain.document("cutover", OUTSIDER)
    assert len(named(document_text(view))) == 8 and not view.names_hidden


def search_text(kb, viewer) -> str:
    request = SearchRequest("rolled back gasket valve vendor", 5, mode="keyword", viewer=viewer)
    hits = kb.run_search(request).hits
    assert "cutover" in [hit.id for hit in hits]
    return " ".join(f"{hit.title} {hit.snippet}" for hit in hits)


def test_redaction_search_hits_show_roles_outside_and_names_inside(kb):
    assert named(search_text(kb, OUTSIDER)) == []
    assert "Jenna" in search_text(kb, MEMBER)


def test_redaction_related_lessons_mask_both_passages(kb):
    lessons = kb.related("budget", 5, viewer=OUTSIDER)
    assert [lesson.id for lesson in lessons] == ["cutover"]
    shown = json.dumps([lesson.to_dict() for lesson in lessons])
    assert named(shown) == [] and named(shown.title()) == []  # shared terms are lower-case
    from_inside = kb.related("cutover", 5, viewer=OUTSIDER)  # this side is the masked one
    assert named(json.dumps([lesson.to_dict() for lesson in from_inside])) == []


def test_redaction_kickoff_pack_as_shown_to_each_viewer(kb):
    brief = "Plan the cutover weekend: rewrite the gasket valve runbook and keep spares."
    pack = build_pack(kb, KickoffRequest(brief, viewer=OUTSIDER))
    assert "cutover" in [lesson.id for lesson in pack.lessons]
    assert named(json.dumps(pack.to_dict())) != []  # kept with names, shown as each may see
    assert named(json.dumps(kb.redact_pack(pack, OUTSIDER).to_dict())) == []
    assert kb.redact_pack(pack, MEMBER) == pack


def test_redaction_mask_replaces_found_names_and_their_parts_whole_words():
    people = DocumentPeople("Ops", authors=("Jenna Cole",), text_names=("Grace Mbeki",))
    mask = NameMask(people)
    text = "Grace Mbeki met Jenna. Grace's grace period ended; Gracefield and Coleman stay."
    assert mask.text(text) == (
        "A team member met the author. A team member's grace period ended; "
        "Gracefield and Coleman stay."
    )
    assert mask.complete


def test_redaction_mask_without_read_text_names_says_so():
    mask = NameMask(DocumentPeople("Ops", participants=("Pieter de Wit",)))
    assert mask.text("Pieter de Wit and Pieter, not de Wit's desk.") == (
        "A participant and a participant, not de a participant's desk."
    )
    assert not mask.complete


def test_redaction_index_written_before_names_hides_fields_without_failing(tmp_path):
    settings = build_redaction_index(tmp_path)
    with sqlite3.connect(tmp_path / "kb" / CURRENT / DB_NAME) as older:  # as version 2 wrote it
        older.executescript("DROP TABLE person_names; PRAGMA user_version = 2;")
    view = KnowledgeBase(settings).document("cutover", OUTSIDER)
    assert named(document_text(view)) == []
    assert view.names_hidden and not view.text_names_read


def test_redaction_mask_drops_shared_terms_that_name_someone():
    mask = NameMask(DocumentPeople("Ops", authors=("Jenna Cole",)))
    assert mask.terms(["jenna cole", "gasket valve", "cole", "coleslaw"]) == [
        "gasket valve",
        "coleslaw",
    ]
