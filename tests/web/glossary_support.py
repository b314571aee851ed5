"""Signing in to the web app as the glossary tests' users, and a hasher that holds checks."""

from __future__ import annotations

import re
import threading
from dataclasses import replace

from argon2 import PasswordHasher

from kb.settings import Settings
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD, add_users


class CountingHasher(PasswordHasher):
    """Cheap hashing that counts password checks; while `gate` is closed, each check waits
    there (after telling `entered`), so a test can hold checks in flight."""

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checks = 0
        self.entered = threading.Semaphore(0)
        self.gate = threading.Event()
        self.gate.set()

    def verify(self, hash, password) -> bool:
        self.checks += 1
        self.entered.release()
        if not self.gate.wait(timeout=30):
            raise TimeoutError("the test never opened the gate")
        return super().verify(hash, password)


def on_state_database(settings: Settings, url: str) -> Settings:
    """settings with KB_DATABASE_URL=url, its schema made first with `kb db upgrade`'s code
    (a server creates an empty embedded database itself, but never an empty server one)."""
    from kb.state import StateDB
    from kb.state.migrate import upgrade

    state = StateDB(url, settings.kb_dir)
    upgrade(state)
    state.dispose()
    return replace(settings, database_url=url)


def make_app(settings: Settings):
    """The web app over settings.kb_dir, with cheap password hashing and the four test users."""
    from kb.knowledge_base import KnowledgeBase
    from web.app import create_app

    app = create_app(settings, KnowledgeBase(settings))
    app.state.glossary.auth.hasher = FAST_HASHER
    add_users(app.state.glossary)
    return app


def form_token(html: str) -> str:
    """The first csrf_token hidden field of a page."""
    match = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


def login(client, name: str, password: str = PASSWORD, next_url: str = "/glossary", headers=None):
    """Sign in through the login form, as a browser would; returns the POST's response."""
    page = client.get("/login").text
    token = form_token(page[page.index('action="/login"') :])  # not the header's sign-out form
    data = {"name": name, "password": password, "csrf_token": token, "next": next_url}
    return client.post("/login", data=data, headers=headers, follow_redirects=False)


def csrf(client) -> str:
    """The signed-in session's CSRF token, read from the sign-out form in the header."""
    return form_token(client.get("/glossary").text)
