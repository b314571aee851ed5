"""Usage events recorded through HTTP (web/usage.py): searches, reads, clicks on related
lessons and the other-departments box, saved kickoff packs, action changes; the actor's
department and never a name unless KB_USAGE_RECORD_NAMES; bots and health checks not
counted. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kb.access import Viewer
from kb.glossary.clock import timestamp
from kb.insights.events import EventRecorder
from kb.state.tables import usage_events
from tests.conftest import markdown_doc
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD
from tests.web.conftest import build_index
from tests.web.glossary_support import login, on_state_database
from web.app import create_app

ACTIONS = "- [ ] Replace the valve gaskets (owner: Cora Mill, due: 2020-03-01)"
CORPUS = {
    "eng.md": markdown_doc(
        "Gaskets cracked in the cold",
        department="Engineering",
        sections={"What happened": "The valve gaskets cracked in the cold.", "Actions": ACTIONS},
        extra_front="id: eng\n",
    ),
    "fin.md": markdown_doc(
        "Gasket supplier invoices arrived late",
        department="Finance",
        sections={"What happened": "The valve gasket supplier invoiced late in the cold."},
        extra_front="id: fin\n",
    ),
    "ops.md": markdown_doc(
        "Cold start gasket checks",
        department="Operations",
        sections={"What happened": "Operators check valve gaskets before a cold start."},
        extra_front="id: ops\n",
    ),
}
USERS = {"cora": ("contributor", ("Engineering", "Legal")), "fay": ("reader", ("Finance",))}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("usage-events"), CORPUS, max_k=20)


@contextmanager
def serve(index, state_url: str, **settings) -> Iterator[TestClient]:
    app = create_app(on_state_database(replace(index, **settings), state_url))
    app.state.glossary.auth.hasher = FAST_HASHER
    for name, (role, departments) in USERS.items():
        app.state.glossary.auth.create_user(name, PASSWORD, role, departments)
    try:
        yield TestClient(app)
    finally:
        app.state.events.close()
        app.state.glossary.state.dispose()


@pytest.fixture
def client(index, state_url) -> Iterator[TestClient]:
    with serve(index, state_url) as client:
        yield client


def recorded(client: TestClient) -> list[dict]:
    client.app.state.events.flush()  # the server writes its queue within a second
    state = client.app.state.glossary.state
    with state.engine.connect() as conn:
        rows = conn.execute(select(usage_events).order_by(usage_events.c.seq)).mappings()
        return [dict(row) for row in rows]


def token(client: TestClient, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.app.state.glossary.tokens.create(name)[0]}"}


def signed_in(client: TestClient, name: str) -> TestClient:
    other = TestClient(client.app)
    assert login(other, name, next_url="/").status_code == 303
    return other


def test_web_usage_searches_are_recorded_once_with_filters_and_results(client):
    fay = signed_in(client, "fay")
    assert fay.get("/", params={"q": "gasket", "mode": "keyword", "k": 1}).status_code == 200
    fay.get("/", params={"q": "gasket", "mode": "keyword", "k": 1, "page": 2})  # same search
    params = {"q": "unheard of", "mode": "keyword", "department": "Finance"}
    assert (
        client.get("/api/search", params=params, headers=token(client, "cora")).status_code == 200
    )
    client.get("/")  # no search asked
    first, second = recorded(client)
    assert (first["kind"], first["query"], first["results"], first["department"]) == (
        "search", "gasket", 3, "Finance",
    )  # fmt: skip
    assert (second["query"], second["results"], second["department"]) == (
        "unheard of",
        0,
        "Engineering",
    )
    assert json.loads(second["detail"])["departments"] == ["Finance"]
    assert first["user_name"] is None and second["user_name"] is None


def test_web_usage_document_reads_are_recorded_with_the_documents_department(client):
    cora = token(client, "cora")
    assert client.get("/documents/fin").status_code == 200
    assert client.get("/documents/fin?format=json").status_code == 200
    assert client.get("/api/documents/ops", headers=cora).status_code == 200
    client.get("/api/documents/ops/related")  # a list of lessons is no read
    client.get("/documents/no-such-id")
    rows = [
        (r["kind"], r["doc_id"], r["doc_department"], r["department"]) for r in recorded(client)
    ]
    assert rows == [
        ("view", "fin", "Finance", ""),
        ("view", "fin", "Finance", ""),
        ("view", "ops", "Operations", "Engineering"),
    ]


def test_web_usage_clicks_on_related_lessons_and_other_departments_are_recorded(client):
    related = re.findall(
        r'<a href="(/documents/[^"]+\?from=related)"', client.get("/documents/eng").text
    )
    assert related, "the related lessons link with ?from=related"
    params = {"q": "gasket", "mode": "keyword", "k": 1}
    others = re.findall(r'class="other-title" href="([^"]+)"', client.get("/", params=params).text)
    assert others and all(link.endswith("?from=others") for link in others)
    client.get(related[0])
    client.get(others[0])
    kinds = [(r["kind"], r["doc_id"]) for r in recorded(client) if r["kind"] != "search"]
    assert kinds == [
        ("view", "eng"),
        ("related_click", related[0].split("/")[-1].split("?")[0]),
        ("other_departments_click", others[0].split("/")[-1].split("?")[0]),
    ]


def test_web_usage_a_result_opened_from_a_search_records_its_query(client):
    html = client.get("/", params={"q": "valve gasket", "mode": "keyword"}).text
    links = re.findall(r'class="hit-title"><a href="([^"]+)"', html)
    assert links and all("?from=search&amp;q=valve%20gasket" in link for link in links)
    client.get(links[0].replace("&amp;", "&"))
    views = [r for r in recorded(client) if r["kind"] == "view"]
    assert [(v["doc_id"], v["query"]) for v in views] == [
        (links[0].split("/")[-1].split("?")[0], "valve gasket")
    ]


def test_web_usage_saved_kickoff_packs_record_each_lesson(client):
    brief = {"brief": "Replacing valve gaskets before a cold start", "department": "Engineering"}
    headers = token(client, "cora")
    assert client.post("/api/kickoff", json=brief, headers=headers).status_code == 200  # preview
    saved = client.post("/api/kickoff", json={**brief, "save": True}, headers=headers)
    assert saved.status_code == 201, saved.text
    pack = saved.json()
    lessons = [lesson for theme in pack["themes"] for lesson in theme["lessons"]]
    rows = recorded(client)
    assert lessons and len(rows) == len(lessons)
    assert {(r["kind"], r["doc_id"], r["doc_department"]) for r in rows} == {
        ("pack_include", lesson["id"], lesson["department"]) for lesson in lessons
    }
    assert {json.loads(r["detail"])["pack"] for r in rows} == {pack["id"]}


def test_web_usage_action_changes_are_recorded(client):
    cora = token(client, "cora")
    item = client.get("/api/actions", headers=cora).json()[0]
    response = client.post(f"/api/actions/{item['id']}", json={"status": "done"}, headers=cora)
    assert response.status_code == 200, response.text
    client.post(f"/api/actions/{item['id']}", json={"status": "finished"}, headers=cora)  # 422
    (row,) = recorded(client)
    assert (row["kind"], row["doc_id"], row["doc_department"], row["department"]) == (
        "action_change", "eng", "Engineering", "Engineering",
    )  # fmt: skip
    assert json.loads(row["detail"]) == {"action": item["id"], "status": "done"}


def test_web_usage_names_are_recorded_only_when_turned_on(index, state_url):
    with serve(index, state_url, usage_record_names=True) as client:
        signed_in(client, "fay").get("/documents/eng")
        client.get("/documents/eng")
        assert [r["user_name"] for r in recorded(client)] == ["fay", None]


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1)",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
        "Slackbot-LinkExpanding 1.0",
    ],
)
def test_web_usage_bots_and_scripts_without_token_are_not_counted(client, agent):
    client.get("/documents/eng", headers={"User-Agent": agent})
    client.get("/", params={"q": "gasket"}, headers={"User-Agent": agent})
    assert recorded(client) == []


def test_web_usage_health_checks_and_head_requests_are_not_counted_scripts_with_tokens_are(client):
    client.get("/healthz")
    client.head("/documents/eng")
    assert recorded(client) == []
    headers = {"User-Agent": "curl/8.5.0", **token(client, "fay")}
    assert client.get("/api/documents/eng", headers=headers).status_code == 200
    assert [(r["kind"], r["department"]) for r in recorded(client)] == [("view", "Finance")]


def test_web_usage_server_start_prunes_events_past_retention(index, state_url):
    with serve(index, state_url, usage_retention_days=30) as client:
        events = client.app.state.events
        now = events.clock()
        old = now - dt.timedelta(days=31)
        moments = iter([old, now])
        seeding = EventRecorder(events.state, clock=lambda: next(moments))
        for _ in range(2):
            seeding.view(Viewer.anonymous(), "eng", "Engineering")
        seeding.flush()
        with client:  # the lifespan: pruning at start, in the background
            deadline = time.monotonic() + 10
            while len(recorded(client)) != 1 and time.monotonic() < deadline:
                time.sleep(0.05)
        assert [row["at"] for row in recorded(client)] == [timestamp(now)]
