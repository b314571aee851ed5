"""Actions followed through, on SQLite and PostgreSQL: /actions and /api/actions list what the
viewer may read, oldest overdue first; status changes by token or the document page's form
are kept with their history; new actions are added on the web; refusals are clear."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from tests.conftest import markdown_doc, new_state_url
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD
from tests.web.conftest import build_index
from tests.web.glossary_support import csrf, login, on_state_database
from web.app import create_app

ENGINEERING_ACTIONS = """
- [ ] Replace the valve gaskets (owner: Marcus Feld, due: 2020-03-01)
- [x] Write the cold-start checklist (owner: Ana Ruiz, due: 2020-02-01)
- [ ] Review the gasket suppliers (owner: Ana Ruiz, due: 2099-01-01)
"""
CORPUS = {
    "eng.md": markdown_doc(
        "Gaskets cracked in the cold",
        department="Engineering",
        sections={"What happened": "The gaskets cracked.", "Actions": ENGINEERING_ACTIONS},
        extra_front="id: eng\nsensitivity: public\n",
    ),
    "fin.md": markdown_doc(
        "Ledger drift",
        department="Finance",
        sections={
            "What happened": "The ledger drifted.",
            "Actions": "- [ ] Reconcile the hidden ledger (owner: Fay Lund, due: 2019-01-01)",
        },
        extra_front="id: fin\nsensitivity: restricted\n",
    ),
}
USERS = {
    "marcus.feld": ("reader", ("Engineering",)),
    "cora": ("contributor", ("Engineering",)),
    "rex": ("reader", ("Sales",)),
    "fay": ("reader", ("Finance",)),
    "ed": ("editor", ()),
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request, tmp_path) -> Iterator[TestClient]:
    settings = build_index(tmp_path, CORPUS, max_k=20)
    app = create_app(on_state_database(settings, new_state_url(request, tmp_path)))
    glossary = app.state.glossary
    glossary.auth.hasher = FAST_HASHER
    for name, (role, departments) in USERS.items():
        glossary.auth.create_user(name, PASSWORD, role, departments)
    yield TestClient(app)
    glossary.state.dispose()


def token(client: TestClient, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.app.state.glossary.tokens.create(name)[0]}"}


def listed(client: TestClient, query: str = "", **headers) -> list[dict]:
    response = client.get(f"/api/actions{query}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["X-Total-Count"] == str(len(response.json()))
    return response.json()


def action_of(client: TestClient, text: str, **headers) -> dict:
    return next(a for a in listed(client, "?status=all", **headers) if a["text"] == text)


def test_actions_list_open_ones_oldest_overdue_first(client):
    actions = listed(client)
    assert [a["text"] for a in actions] == [
        "Replace the valve gaskets",
        "Review the gasket suppliers",
    ]
    first = actions[0]
    assert first["overdue_days"] > 0 and first["owner"] == "Marcus Feld"
    assert first["doc_id"] == "eng" and first["department"] == "Engineering"
    assert actions[1]["overdue_days"] == 0


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?status=all", 3),
        ("?status=done", 1),
        ("?overdue=true", 1),
        ("?department=Finance", 0),
        ("?department=Engineering&status=all", 3),
    ],
)
def test_actions_filters(client, query, expected):
    assert len(listed(client, query)) == expected


def test_actions_of_restricted_documents_only_for_their_readers(client):
    assert "Reconcile the hidden ledger" not in str(listed(client, "?status=all"))
    rex = listed(client, "?status=all", **token(client, "rex"))
    assert "Reconcile the hidden ledger" not in str(rex)
    fay = listed(client, **token(client, "fay"))
    assert fay[0]["text"] == "Reconcile the hidden ledger"  # overdue since 2019: first
    assert client.get("/actions").text.count("hidden ledger") == 0


def test_actions_change_status_through_the_api_keeps_history(client):
    item = action_of(client, "Replace the valve gaskets")
    cora = token(client, "cora")
    url = f"/api/actions/{item['id']}"
    response = client.post(
        url, json={"status": "in-progress", "note": "Parts ordered"}, headers=cora
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "in-progress"
    response = client.post(url, json={"status": "done", "note": "Fitted"}, headers=cora)
    assert response.json()["status"] == "done"
    assert action_of(client, "Replace the valve gaskets")["status"] == "done"
    assert "Replace the valve gaskets" not in str(listed(client))  # no longer open
    page = client.get("/documents/eng").text
    assert "cora" in page and "Fitted" in page


@pytest.mark.parametrize(
    "who, status",
    [("rex", 403), ("fay", 403), ("marcus.feld", 200), ("ed", 200), (None, 401)],
)
def test_actions_who_may_change_a_status(client, who, status):
    item = action_of(client, "Replace the valve gaskets")
    headers = token(client, who) if who else {}
    response = client.post(f"/api/actions/{item['id']}", json={"status": "done"}, headers=headers)
    assert response.status_code == status, response.text


def test_actions_bad_changes_are_refused_naming_the_field(client):
    cora = token(client, "cora")
    item = action_of(client, "Replace the valve gaskets")
    bad = client.post(f"/api/actions/{item['id']}", json={"status": "finished"}, headers=cora)
    assert bad.status_code == 422 and "status" in bad.text
    hidden = action_of(client, "Reconcile the hidden ledger", **token(client, "fay"))
    missing = client.post(f"/api/actions/{hidden['id']}", json={"status": "done"}, headers=cora)
    assert missing.status_code == 404  # a restricted document's action: as if none existed
    too_long = client.post(
        f"/api/actions/{item['id']}", json={"status": "done", "note": "x" * 5000}, headers=cora
    )
    assert too_long.status_code == 422 and "note" in too_long.text


def test_actions_closed_from_the_document_page_form(client):
    login(client, "cora")
    page = client.get("/documents/eng").text
    action_id = re.search(r'action="/actions/([^/]+)/status"', page).group(1)
    data = {
        "csrf_token": csrf(client),
        "status": "dropped",
        "note": "Supplier gone",
        "next": "/documents/eng",
    }
    response = client.post(f"/actions/{action_id}/status", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/documents/eng"
    page = client.get("/documents/eng").text
    assert "Supplier gone" in page and "status-dropped" in page
    forged = {**data, "csrf_token": "forged"}
    assert client.post(f"/actions/{action_id}/status", data=forged).status_code == 403


def test_actions_added_on_the_web_appear_in_the_lists(client):
    login(client, "cora")
    data = {
        "csrf_token": csrf(client),
        "doc_id": "eng",
        "text": "Stock <b>spare</b> gaskets",
        "owner": "Cora",
        "due": "2020-01-15",
        "next": "/documents/eng",
    }
    assert client.post("/actions/new", data=data, follow_redirects=False).status_code == 303
    first = listed(client)[0]
    assert first["text"] == "Stock <b>spare</b> gaskets" and first["source"] == "web"
    assert "Stock &lt;b&gt;spare&lt;/b&gt; gaskets" in client.get("/documents/eng").text
    bad = client.post("/actions/new", data={**data, "due": "soon"})
    assert bad.status_code == 422 and "due" in bad.text


def test_actions_only_contributors_of_the_department_add(client):
    login(client, "rex")
    data = {"csrf_token": csrf(client), "doc_id": "eng", "text": "Do it", "owner": "", "due": ""}
    assert client.post("/actions/new", data=data).status_code == 403
    assert "Add an action" not in client.get("/documents/eng").text


def test_actions_my_actions_match_the_owner_to_the_account(client):
    login(client, "marcus.feld")
    html = client.get("/actions?mine=true").text
    assert "Replace the valve gaskets" in html and "Review the gasket suppliers" not in html


def test_actions_page_counts_by_department_and_escapes(client):
    html = client.get("/actions?status=all").text
    row = re.search(r"<th scope=\"row\"><a[^>]*>Engineering</a></th>(.*?)</tr>", html).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "2", "0", "1", "0"]
    assert client.get("/actions?status=someday").status_code == 422


def test_actions_document_json_shows_the_current_status(client):
    item = action_of(client, "Review the gasket suppliers")
    client.post(f"/api/actions/{item['id']}", json={"status": "done"}, headers=token(client, "ed"))
    for url in ("/api/documents/eng", "/documents/eng?format=json"):
        actions = client.get(url).json()["actions"]
        done = next(a for a in actions if a["text"] == "Review the gasket suppliers")
        assert done["status"] == "done" and done["history"][0]["user"] == "ed"


def test_actions_owners_hidden_outside_the_department_when_redacting(tmp_path):
    settings = replace(
        build_index(tmp_path, CORPUS, max_k=20), redact_names_outside_department=True
    )
    app = create_app(settings)
    app.state.glossary.auth.hasher = FAST_HASHER
    app.state.glossary.auth.create_user("cora", PASSWORD, "contributor", ("Engineering",))
    client = TestClient(app)
    for url in ("/actions", "/api/actions", "/documents/eng", "/api/documents/eng"):
        assert "Marcus Feld" not in client.get(url).text, url
    assert "the action owner" in client.get("/api/actions").text
    assert "Marcus Feld" in str(listed(client, **token(client, "cora")))
    app.state.glossary.state.dispose()
