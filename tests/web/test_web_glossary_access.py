"""The glossary shows each visitor only what the documents they may read say: a restricted
Legal memo's own term, sentence and counts appear to Legal and to admins, on the pages,
their JSON twins and /api/glossary/*, and nowhere else; approved entries stay everyone's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kb.glossary import TermFields
from tests.conftest import markdown_doc, new_state_url
from tests.kb.glossary.contested_support import build_senses_index, documents
from tests.kb.glossary.glossary_support import PASSWORD, candidate, set_candidates
from tests.web.conftest import build_index
from tests.web.glossary_support import csrf, login, make_app, on_state_database

SECRET = "secretclause"  # in the restricted memo's sentence only
UNIQUE = "zephyrquota"  # a term only the restricted memo uses (approved by an admin)
UNDECIDED = "legalhold"  # another, which nobody has decided on


def doc(doc_id: str, title: str, department: str, level: str, text: str) -> str:
    return markdown_doc(
        title,
        department=department,
        sections={"What happened": text},
        extra_front=f"id: {doc_id}\nsensitivity: {level}\n",
    )


CORPUS = {
    "pub-eng.md": doc(
        "pub-eng",
        "Vendor report",
        "Engineering",
        "public",
        "Vendor lead time doubled. The lead time slipped again.",
    ),
    "int-ops.md": doc(
        "int-ops", "Roster note", "Operations", "internal", "The nightrota was late."
    ),
    "res-legal.md": doc(
        "res-legal",
        "Legal memo",
        "Legal",
        "restricted",
        f"The {UNIQUE} clause binds us. Our lead time clause is {SECRET}. A {UNDECIDED} holds.",
    ),
}
ROWS = [
    candidate(
        "lead time",
        1,
        [("pub-eng", "Vendor lead time doubled."), ("res-legal", f"Our lead time is {SECRET}.")],
        {"Engineering": 2, "Legal": 1},
    ),
    candidate(UNIQUE, 2, [("res-legal", f"The {UNIQUE} clause binds us.")], {"Legal": 1}),
    candidate(UNDECIDED, 4, [("res-legal", f"A {UNDECIDED} holds.")], {"Legal": 1}),
    candidate("nightrota", 3, [("int-ops", "The nightrota was late.")], {"Operations": 1}),
]
USERS = {  # name: (role, departments)
    "fin": ("reader", ("Finance",)),
    "legal": ("reader", ("Legal",)),
    "fin-ed": ("editor", ("Finance",)),
    "legal-ed": ("editor", ("Legal",)),
}  # and make_app's admin "ada"
LEGAL_READERS = ("legal", "legal-ed", "ada")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def app(request, tmp_path_factory) -> Iterator:
    """Accounts and decisions on SQLite or PostgreSQL."""
    settings = build_index(tmp_path_factory.mktemp("glossary-access"), CORPUS, max_k=20)
    set_candidates(settings, ROWS)
    app = make_app(on_state_database(settings, new_state_url(request, settings.kb_dir)))
    glossary = app.state.glossary
    for name, (role, departments) in USERS.items():
        glossary.auth.create_user(name, PASSWORD, role, departments)
    admin = glossary.auth.user("ada")
    for key in ("lead time", UNIQUE):
        fields = TermFields(label=key, definition=f"What {key} means.", status="approved")
        glossary.editor.accept(admin, key, 0, fields)
    yield app
    glossary.state.dispose()


@pytest.fixture(scope="module")
def clients(app) -> dict[str, TestClient]:
    out = {"anonymous": TestClient(app)}
    for name in (*USERS, "ada"):
        out[name] = TestClient(app)
        assert login(out[name], name).status_code == 303
    return out


@pytest.mark.parametrize("viewer", ["anonymous", "fin", "legal", "ada"])
def test_web_glossary_access_term_usage_shows_only_readable_documents(clients, viewer):
    client = clients[viewer]
    legal = viewer in LEGAL_READERS
    for path in ("/glossary/terms/lead time?format=json", "/api/glossary/terms/lead time"):
        data = client.get(path).json()
        ids = [d["id"] for d in data["documents"]]
        assert ids == (["pub-eng", "res-legal"] if legal else ["pub-eng"])
        assert set(data["departments"]) == ({"Engineering", "Legal"} if legal else {"Engineering"})
        # counted again over the readable memo: "lead time" twice in its one document
        assert data["departments"]["Engineering"] == {"documents": 1, "occurrences": 2}
    html = client.get("/glossary/terms/lead time").text
    assert ("Legal memo" in html) is legal
    assert "Vendor report" in html


@pytest.mark.parametrize("viewer", ["anonymous", "fin", "legal", "ada"])
def test_web_glossary_access_approved_entry_stays_visible_without_its_evidence(clients, viewer):
    client = clients[viewer]
    data = client.get(f"/api/glossary/terms/{UNIQUE}").json()
    assert data["definition"] == f"What {UNIQUE} means."
    legal = viewer in LEGAL_READERS
    assert [d["id"] for d in data["documents"]] == (["res-legal"] if legal else [])
    assert data["departments"] == ({"Legal": {"documents": 1, "occurrences": 1}} if legal else {})
    assert UNIQUE in client.get("/glossary").text
    exported = client.get("/glossary/export.json").text
    assert UNIQUE in exported and "res-legal" not in exported and SECRET not in exported


@pytest.mark.parametrize("editor", ["fin-ed", "legal-ed", "ada"])
def test_web_glossary_access_review_queue_shows_candidates_from_readable_documents(clients, editor):
    client = clients[editor]
    legal = editor in LEGAL_READERS
    for path in ("/glossary/review?status=all&format=json", "/api/glossary/review?status=all"):
        response = client.get(path)
        data = response.json()
        items = {item["term"]: item for item in data["items"]}
        assert set(items) == {"lead time", "nightrota", *([UNIQUE, UNDECIDED] if legal else [])}
        assert data["total"] == len(items)
        lead = items["lead time"]
        assert lead["doc_ids"] == (["pub-eng", "res-legal"] if legal else ["pub-eng"])
        assert lead["document_frequency"] == (2 if legal else 1)
        # counted again over the readable memo: its two "lead time", not the Legal one
        assert (lead["frequency"], lead["variants"]) == (
            (3, {"lead time": 3}) if legal else (2, {"lead time": 2})
        )
        assert lead["departments"] == (
            {"Engineering": 2, "Legal": 1} if legal else {"Engineering": 2}
        )
        assert ("Legal" in data["departments"]) is legal
        assert (SECRET in response.text) is legal
        assert ("res-legal" in data["documents"]) is legal
    html = client.get("/glossary/review?status=all").text
    assert (SECRET in html) is legal and ("Legal memo" in html) is legal


def test_web_glossary_access_department_filter_never_names_unreadable_documents(clients):
    for editor, total in (("fin-ed", 0), ("legal-ed", 3), ("ada", 3)):
        data = clients[editor].get("/api/glossary/review?status=all&department=Legal").json()
        assert data["total"] == total


def test_web_glossary_access_editor_cannot_decide_on_a_candidate_they_may_not_see(clients):
    def defer(editor: str, key: str):
        form = {"key": key, "version": "0", "csrf_token": csrf(clients[editor])}
        return clients[editor].post("/glossary/review/defer", data=form, follow_redirects=False)

    hidden, missing = defer("fin-ed", UNDECIDED), defer("fin-ed", "nosuchterm")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.text.replace(UNDECIDED, "X") == missing.text.replace("nosuchterm", "X")
    assert defer("legal-ed", UNDECIDED).status_code == 303


@pytest.fixture(scope="module")
def senses_clients(tmp_path_factory) -> Iterator[dict[str, TestClient]]:
    """Engineering and HR use "release" and "handover" differently; HR's handover
    documents are restricted to HR."""
    docs = documents({"Engineering": 4, "HR": 4})
    restricted = frozenset(d for d, _, _ in docs if d.startswith("handover-hr-"))
    settings = build_senses_index(tmp_path_factory.mktemp("senses-access"), docs, restricted)
    app = make_app(settings)
    for name, departments in (("eng-ed", ("Engineering",)), ("hr-ed", ("HR",))):
        app.state.glossary.auth.create_user(name, PASSWORD, "editor", departments)
    clients = {}
    for name in ("eng-ed", "hr-ed", "ada"):
        clients[name] = TestClient(app)
        assert login(clients[name], name).status_code == 303
    yield clients
    app.state.glossary.state.dispose()


def test_web_glossary_access_contested_terms_judged_on_readable_documents(senses_clients):
    everything = senses_clients["ada"].get("/api/glossary/contested").json()
    assert sorted(item["term"] for item in everything["items"]) == ["handover", "release"]
    assert senses_clients["hr-ed"].get("/api/glossary/contested").json() == everything
    for path in ("/api/glossary/contested", "/glossary/contested?format=json"):
        data = senses_clients["eng-ed"].get(path).json()
        assert (data["total"], [item["term"] for item in data["items"]]) == (1, ["release"])
        release = next(i for i in everything["items"] if i["term"] == "release")
        assert data["items"][0]["departments"] == release["departments"]
    assert "handover" not in senses_clients["eng-ed"].get("/glossary/contested").text
