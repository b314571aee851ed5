"""A saved kickoff pack shows each person only the lessons they may read now: a pack an admin
saved with a restricted Finance lesson, opened by an anonymous visitor, a reader of another
department and a Finance member, through the page, the print view, the Markdown export,
the JSON twin and the list; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import markdown_doc, new_state_url
from tests.kb.glossary.glossary_support import FAST_HASHER
from tests.web.conftest import build_index
from tests.web.glossary_support import PASSWORD, login, on_state_database
from web.app import create_app

# One unique marker word per document, in its title and its recommendation.
MARKERS = {"pub": "zephyrine", "int": "quillwort", "res": "brambleton"}
LEVELS = {"pub": ("Engineering", "public"), "int": ("Legal", "internal")}
LEVELS["res"] = ("Finance", "restricted")
BRIEF = "# Cold test\n\nThe valve gasket cracked in the cold test. Valve gaskets again."


def lesson(doc_id: str) -> str:
    department, level = LEVELS[doc_id]
    marker = MARKERS[doc_id]
    return markdown_doc(
        f"Valve gasket {marker}",
        department=department,
        sections={
            "What happened": "The valve gasket cracked in the cold test. Valve gaskets again.",
            "Recommendation": f"- Warm every valve gasket before the {marker} cold test.",
        },
        extra_front=f"id: {doc_id}\nsensitivity: {level}\n",
    )


VIEWERS = {  # who opens the pack -> the documents they may read
    "anonymous": {"pub"},
    "other-department": {"pub", "int"},
    "member": {"pub", "int", "res"},
}
ACCOUNTS = {  # viewer -> (user, role, departments)
    "admin": ("ada", "admin", ()),
    "other-department": ("lars", "reader", ("Legal",)),
    "member": ("fiona", "reader", ("Finance",)),
}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def app(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("kickoff-access")
    settings = build_index(base, {f"{d}.md": lesson(d) for d in MARKERS}, max_k=20)
    app = create_app(on_state_database(settings, new_state_url(request, base)))
    app.state.glossary.auth.hasher = FAST_HASHER
    for name, role, departments in ACCOUNTS.values():
        app.state.glossary.auth.create_user(name, PASSWORD, role, departments)
    yield app
    app.state.glossary.state.dispose()


@pytest.fixture(scope="module")
def clients(app) -> dict[str, TestClient]:
    """A browser per viewer, signed in through the login form (anonymous: not)."""
    found = {"anonymous": TestClient(app)}
    for viewer in ("other-department", "member"):
        found[viewer] = TestClient(app)
        assert login(found[viewer], ACCOUNTS[viewer][0]).status_code == 303
    return found


@pytest.fixture(scope="module")
def pack_id(app) -> str:
    """A pack saved by an admin through the API (a token): it holds all three lessons."""
    client = TestClient(app)
    token, _ = app.state.glossary.tokens.create("ada")
    body = {"brief": BRIEF, "department": "Finance", "save": True}
    saved = client.post("/api/kickoff", json=body, headers={"Authorization": f"Bearer {token}"})
    assert saved.status_code == 201, saved.text
    assert {lesson["id"] for t in saved.json()["themes"] for lesson in t["lessons"]} == set(MARKERS)
    return saved.json()["id"]


def views(client: TestClient, pack_id: str) -> dict[str, str]:
    """Every view of the pack as the client's viewer gets it."""
    base = f"/kickoff/packs/{pack_id}"
    paths = {"page": base, "print": f"{base}/print", "markdown": f"{base}/export.md"}
    paths |= {"json": f"{base}?format=json"}
    found = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.text)
        found[name] = response.text
    return found


@pytest.mark.parametrize("viewer", VIEWERS)
def test_web_kickoff_access_saved_pack_shows_each_viewer_only_what_they_may_read(
    clients, pack_id, viewer
):
    readable = VIEWERS[viewer]
    for view, text in views(clients[viewer], pack_id).items():
        if view == "list":
            continue
        for doc_id, marker in MARKERS.items():
            assert (marker in text) == (doc_id in readable), (viewer, view, marker)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_web_kickoff_access_hidden_lessons_are_counted_never_named(clients, pack_id, viewer):
    hidden = len(MARKERS) - len(VIEWERS[viewer])
    client = clients[viewer]
    data = client.get(f"/kickoff/packs/{pack_id}?format=json").json()
    assert data["hidden"] == hidden
    assert {lesson["id"] for t in data["themes"] for lesson in t["lessons"]} == VIEWERS[viewer]
    assert {item["doc_id"] for item in data["checklist"]} <= VIEWERS[viewer]
    assert all(set(t["lessons"]) <= VIEWERS[viewer] for t in data["topics"])
    page = client.get(f"/kickoff/packs/{pack_id}").text
    markdown = client.get(f"/kickoff/packs/{pack_id}/export.md")
    for text in (page, markdown.text):
        assert (f"{hidden} lesson" in text and "hidden" in text) == bool(hidden)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_web_kickoff_access_list_counts_only_readable_lessons(clients, pack_id, viewer):
    listed = clients[viewer].get("/kickoff/packs?format=json").json()
    mine = next(p for p in listed["packs"] if p["id"] == pack_id)
    assert mine["lessons"] == len(VIEWERS[viewer])


def test_web_kickoff_access_index_size_counts_only_readable_documents(clients, pack_id):
    client = clients["anonymous"]
    opened = client.get(f"/kickoff/packs/{pack_id}?format=json").json()
    assert opened["index"]["documents"] == 1
    preview = client.post("/api/kickoff", json={"brief": BRIEF}).json()
    assert preview["index"]["documents"] == 1
    assert {lesson["id"] for t in preview["themes"] for lesson in t["lessons"]} == {"pub"}


def test_web_kickoff_access_form_offers_only_departments_the_viewer_reads(clients):
    offered = clients["anonymous"].get("/kickoff?format=json").json()["departments"]
    assert offered == ["Engineering"]
    assert clients["member"].get("/kickoff?format=json").json()["departments"] == [
        "Engineering", "Finance", "Legal"
    ]  # fmt: skip
