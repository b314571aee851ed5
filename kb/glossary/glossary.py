"""The Glossary facade: one object the CLI and the web app use for everything editorial."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher

from kb.glossary.candidates import CandidateSource, StoreProvider
from kb.glossary.clock import Clock, utc_now
from kb.glossary.contested_model import ContestedPage, ContestedTerm
from kb.glossary.errors import GlossaryError
from kb.glossary.exchange import to_csv, to_json
from kb.glossary.model import (
    ImportReport,
    QueueFilters,
    QueuePage,
    Term,
    User,
)
from kb.glossary.public import PublicGlossary
from kb.glossary.review import MAX_PER_PAGE, review_queue
from kb.glossary.service import EditorialService
from kb.glossary.skos import to_turtle
from kb.glossary.throttle import SignInLimits
from kb.settings import Settings
from kb.state import StateDB

if TYPE_CHECKING:
    from kb.glossary.auth import Auth
    from kb.glossary.store import TermStore
    from kb.glossary.tokens import ApiTokens

EXPORT_FORMATS = {
    "csv": ("text/csv", "csv"),
    "json": ("application/json", "json"),
    "skos": ("text/turtle", "ttl"),
}


def live_related(terms: list[Term]) -> list[Term]:
    """The terms with `related` cut to keys still in the glossary (others were since rejected
    or merged), so an exported file always imports again."""
    keys = {term.key for term in terms}
    return [replace(t, related=tuple(r for r in t.related if r in keys)) for t in terms]


class Glossary:
    """Editorial state (terms, history, accounts) in the state database, over the candidates
    of the live generation.

    `store_provider` returns the live generation's Store (or None without an index); the
    web app passes `lambda: kb.store`, so candidates follow each new `kb index` run.
    `state` is the state database; without one, the default SQLite file in kb_dir. It is
    opened when terms or accounts are first used, and created then if empty.
    """

    def __init__(
        self,
        kb_dir: Path,
        store_provider: StoreProvider | None = None,
        session_hours: int = 8,
        hasher: PasswordHasher | None = None,
        clock: Clock = utc_now,
        sign_in_limits: SignInLimits | None = None,
        state: StateDB | None = None,
    ):
        self.kb_dir = Path(kb_dir)
        self.candidates = CandidateSource(store_provider)
        self._state = state or StateDB.from_settings(Settings(kb_dir=self.kb_dir))
        self._auth_options = (session_hours, hasher, clock, sign_in_limits)
        self.clock = clock

    @property
    def state(self) -> StateDB:
        self._state.require_current()  # checks once, then returns at once
        return self._state

    # TermStore, Auth and ApiTokens import SQLAlchemy (~0.15 s): only when first used;
    # TermStore opens the state database (creating it if empty) on its first query.
    @cached_property
    def terms(self) -> TermStore:
        from kb.glossary.store import TermStore

        return TermStore(self._state)

    @cached_property
    def editor(self) -> EditorialService:
        return EditorialService(self.terms, self.candidates, self.clock)

    @cached_property
    def public(self) -> PublicGlossary:
        return PublicGlossary(self.terms, self.candidates)

    @cached_property
    def auth(self) -> Auth:
        from kb.glossary.auth import Auth

        return Auth(self.state, *self._auth_options)

    @cached_property
    def tokens(self) -> ApiTokens:
        from kb.glossary.tokens import ApiTokens

        return ApiTokens(self.state, self.clock)

    def review_queue(self, filters: QueueFilters | None = None) -> QueuePage:
        return review_queue(self.candidates, self.terms, filters or QueueFilters())

    def expansions(self) -> dict[str, list[str]]:
        """{lower-cased form of an approved term: its other forms}, for query expansion."""
        return self.public.expansions()

    def contested_page(self, page: int = 1, per_page: int = 20) -> ContestedPage:
        """One page of the candidates departments use in different senses, most contested
        first, as ranked when the live index was mined (`kb.glossary.contested`)."""
        page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
        store = self.candidates.provider()
        if store is None:  # no index yet: nothing to rank
            return ContestedPage([], 0, page, per_page)
        if not store.contested.available():
            return ContestedPage([], 0, page, per_page, available=False)
        rows = store.contested.page((page - 1) * per_page, per_page)
        items = [ContestedTerm.from_dict(row) for row in rows]
        return ContestedPage(items, store.contested.count(), page, per_page)

    def export(self, fmt: str) -> str:
        """The glossary's accepted terms as csv, json or skos (Turtle), sorted by key."""
        terms = live_related(self.terms.accepted())
        writers = {"csv": to_csv, "json": to_json, "skos": to_turtle}
        if fmt not in writers:
            raise GlossaryError(f"format {fmt!r}: choose one of {', '.join(writers)}")
        return writers[fmt](terms)

    def import_file(self, user: User, data: bytes, filename: str) -> ImportReport:
        """Import a .csv or .json file; ImportFailedError (nothing written) on any bad row."""
        from kb.glossary.importer import import_bytes

        return import_bytes(self.terms, user, data, filename, self.clock)

    def close(self) -> None:
        self._state.dispose()  # its connections; a later use opens new ones


def existing_glossary(settings: Settings) -> Glossary | None:
    """The glossary in the state database settings name, if that database is at the newest
    schema; None when it has none yet (nothing is created), is older, or cannot be opened:
    for readers such as search's query expansion, which work without a glossary."""
    from kb.state import HEAD, StateError
    from kb.state.schema import sqlite_path

    state = StateDB.from_settings(settings)
    path = sqlite_path(state.url)
    if path is not None and not path.is_file():
        return None  # not created yet (reading must not create it)
    try:
        current = state.revision() == HEAD
    except StateError:
        current = False
    if not current:
        state.dispose()
        return None
    return Glossary(settings.kb_dir, state=state)
