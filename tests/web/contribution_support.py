"""An app with accounts and an index, whose published contributions are indexed at once
(by the indexer's index_published, as `kb serve` wires it)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from fastapi.testclient import TestClient

from indexer.publish import index_published
from tests.conftest import markdown_doc
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD
from tests.web.conftest import build_index
from tests.web.glossary_support import on_state_database
from web.app import create_app

CORPUS = {
    "valves.md": markdown_doc(
        "Valve gaskets cracked in the cold",
        department="Engineering",
        date="2019-02-01",
        sections={
            "What happened": "The valve gaskets cracked during the cold soak test at -30 C.",
            "Lesson": "Qualify gaskets at the lowest temperature the valve will see.",
        },
        extra_front="id: valves\nsensitivity: public\n",
    ),
    "ledger.md": markdown_doc(
        "Ledger drift",
        department="Finance",
        sections={"What happened": "The ledger drifted.", "Lesson": "Reconcile weekly."},
        extra_front="id: ledger\nsensitivity: restricted\ntags: [finance, ledgers]\nproject: Atlas\n",
    ),
}
USERS = {
    "cora": ("contributor", ("Engineering",)),
    "carl": ("contributor", ("Engineering",)),
    "fin": ("contributor", ("Finance",)),
    "rex": ("reader", ("Engineering",)),
    "ed": ("editor", ()),
}
LESSON = {
    "title": "Seals shrink in cold storage",
    "type": "lesson",
    "department": "Engineering",
    "date": "2026-11-30",
    "sensitivity": "internal",
    "tags": ["seals"],
    "sections": {
        "what_happened": "The pump seals shrank in the cold store and leaked at start-up.",
        "lesson": "Qualify seals at the coldest storage temperature.",
        "actions": "- [ ] Add a cold soak to the seal test (owner: Cora, due: 2027-01-15)",
    },
    "related": ["valves"],
}


def contribution_app(tmp_path, state_url: str, publishing: bool = True, **settings_changes):
    settings = build_index(tmp_path, CORPUS, max_k=20)
    settings = replace(on_state_database(settings, state_url), **settings_changes)
    publisher = partial(index_published, settings=settings) if publishing else None
    app = create_app(settings, publisher=publisher)
    glossary = app.state.glossary
    glossary.auth.hasher = FAST_HASHER
    for name, (role, departments) in USERS.items():
        glossary.auth.create_user(name, PASSWORD, role, departments)
    return app


def token(client: TestClient, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.app.state.glossary.tokens.create(name)[0]}"}
