"""The review queue over mined candidates: one item per acronym and its expansion, labels as
the corpus writes them, and only candidates above the miner's cut-off unless asked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from indexer.terms import mine
from tests.indexer.terms.support import FakeNlp
from tests.kb.glossary.glossary_support import build_index, copy_index
from tests.web.glossary_support import csrf, login, make_app, on_state_database

LESSONS = {
    "L-1": "The Space Shuttle Main Engine ( SSME ) shut down early . The SSME controller "
    "logged the fault before the Mars Exploration Rover ( MER ) launch .",
    "L-2": "A second SSME test showed the same controller fault on the Mars Exploration Rover .",
    "L-3": "Engineers replaced the SSME controller . The MER team saw no fault .",
    "L-4": "Weekly reviews of the Space Shuttle Main Engine found the Orbiter Boom harmless .",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    rows = [(doc_id, text, {"department": "Ops"}) for doc_id, text in LESSONS.items()]
    mined = mine(rows, None, nlp=FakeNlp()).rows
    return build_index(tmp_path_factory.mktemp("glossary-queue"), mined)


@pytest.fixture
def editor(template, tmp_path, state_url) -> Iterator[TestClient]:
    """An editor signed in to the app, its glossary on SQLite and, again, on PostgreSQL."""
    app = make_app(on_state_database(copy_index(template, tmp_path), state_url))
    client = TestClient(app)
    login(client, "ed")
    yield client
    app.state.glossary.close()


def queue(client, **params) -> dict:
    params = {"per_page": 100, "status": "all", **params}
    return client.get("/api/glossary/review", params=params).json()


def test_web_glossary_queue_acronym_and_expansion_are_one_item(editor):
    items = {item["term"]: item for item in queue(editor, cutoff="0")["items"]}
    engine = items["space shuttle main engine"]
    assert engine["display"] == "Space Shuttle Main Engine" and engine["acronym"] == "SSME"
    assert set(engine["variants"]) == {"space shuttle main engine", "ssme"}
    assert "ssme" not in items and "mer" not in items
    assert items["mars exploration rover"]["acronym"] == "MER"


def test_web_glossary_queue_accept_form_and_bulk_accept_keep_the_written_form(editor):
    html = editor.get("/glossary/review", params={"q": "space shuttle main", "cutoff": "0"}).text
    assert 'name="label" value="Space Shuttle Main Engine"' in html
    assert 'name="acronym" value="SSME"' in html
    key = "mars exploration rover"
    data = {
        "csrf_token": csrf(editor),
        "bulk_action": "accept",
        "key": [key],
        f"version:{key}": "0",
    }
    editor.post("/glossary/review/bulk", data=data, follow_redirects=False)
    term = editor.get(f"/api/glossary/terms/{key}").json()
    assert (term["label"], term["acronym"]) == ("Mars Exploration Rover", "MER")


def test_web_glossary_queue_shows_only_candidates_above_the_cut_off_by_default(editor):
    default, everything = queue(editor), queue(editor, cutoff="0")
    assert 0 < default["total"] < everything["total"]
    assert all(item["accepted"] for item in default["items"])
    assert any(not item["accepted"] for item in everything["items"])
    html = editor.get("/glossary/review").text
    assert 'name="cutoff" value="1" checked' in html
