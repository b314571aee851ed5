"""The access corpus (tests/access_corpus.py) served by the web app, with an account for each
person, signed in through the sign-in form and holding an API token from `kb token create`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response
from typer.testing import CliRunner

from indexer import run_index
from kb.cli import app as cli
from kb.settings import Settings
from tests.access_corpus import (
    DEFAULT_LEVEL,
    DOCS,
    PASSWORD,
    SIGNED_IN,
    Person,
    sentence,
    write_access_corpus,
)
from tests.kb.glossary.glossary_support import FAST_HASHER, candidate, set_candidates
from tests.web.glossary_support import login
from web.app import create_app

MAX_K = 50  # more than the corpus holds: a search lists every readable match


def access_settings(base: Path) -> Settings:
    """The access corpus indexed with the fake embedder under base/kb, with glossary
    candidates as the miner would store them (GLOSSARY_TERMS)."""
    settings = Settings(
        kb_dir=base / "kb",
        embedder="fake",
        progress=False,
        glossary_mining=False,
        max_k=MAX_K,
        default_sensitivity=DEFAULT_LEVEL,
    )
    run = run_index([write_access_corpus(base / "corpus")], settings)
    assert not run.errors, run.errors
    set_candidates(settings, glossary_candidates())
    return settings


def glossary_candidates() -> list[dict]:
    """A term every document uses (a context from each, with its marker), and a term of
    each document alone (its marker in the term): what glossary pages may show a person."""
    shared = candidate(
        "valve gasket",
        1,
        [(doc.id, sentence(doc)) for doc in DOCS],
        dict(Counter(doc.department for doc in DOCS)),
    )
    own = [
        candidate(f"unit {doc.marker}", rank, [(doc.id, sentence(doc))], {doc.department: 1})
        for rank, doc in enumerate(DOCS, start=2)
    ]
    return [shared, *own]


def access_app(settings: Settings):
    """The web app with an account for every signed-in person (cheap password hashing)."""
    app = create_app(settings)
    app.state.glossary.auth.hasher = FAST_HASHER
    for person in SIGNED_IN:
        app.state.glossary.auth.create_user(person.name, PASSWORD, person.role, person.departments)
    return app


def cli_token(settings: Settings, name: str) -> str:
    """A new API token for `name`, as `kb token create` prints it."""
    result = CliRunner().invoke(cli, ["token", "create", name, "--kb", str(settings.kb_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[0].strip()


@dataclass
class Visitor:
    """One person at the site: pages with their session cookie, /api with their token."""

    person: Person
    client: TestClient
    headers: dict[str, str]

    def page(self, path: str, **params) -> Response:
        return self.client.get(path, params=params)

    def api(self, path: str, **params) -> Response:
        return self.client.get(path, params=params, headers=self.headers)

    def post_api(self, path: str, body: dict) -> Response:
        return self.client.post(path, json=body, headers=self.headers)


def visitor(app, settings: Settings, person: Person) -> Visitor:
    client = TestClient(app)
    if not person.signed_in:
        return Visitor(person, client, {})
    assert login(client, person.name, PASSWORD, next_url="/").status_code == 303
    token = cli_token(settings, person.name)
    return Visitor(person, client, {"Authorization": f"Bearer {token}"})
