"""The Glossary facade: one object the CLI and the web app use for everything editorial."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher

from kb.glossary.candidates import CandidateSource, StoreProvider
from kb.glossary.clock import Clock, utc_now
from kb.glossary.contested import readable_contested
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
from kb.index.candidates import Access
from kb.settings import Settings
from kb.state import StateDB

if TYPE_CHECKING:
    from kb.glossary.auth import Auth
    from kb.glossary.store import TermStore
    from kb.glossary.tokens import ApiTokens

MAX_CACHED_ACCESS = 64  # access rules (departments a viewer reads) kept per live index
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
        # The contested terms of the live store for each access rule that leaves documents
        # out (judging them reads every readable text): {access: terms}, for one store.
        self._contested: tuple[object, dict[Access, list[ContestedTerm]]] = (None, {})

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

    def review_queue(
        self, filters: QueueFilters | None = None, access: Access | None = None
    ) -> QueuePage:
        """One page of the queue as the viewer `access` compiles sees it (None: everything)."""
        return review_queue(self.candidates, self.terms, filters or QueueFilters(), access)

    def expansions(self) -> dict[str, list[str]]:
        """{lower-cased form of an approved term: its other forms}, for query expansion."""
        return self.public.expansions()

    def contested_page(
        self, page: int = 1, per_page: int = 20, access: Access | None = None
    ) -> ContestedPage:
        """One page of the candidates departments use in different senses, most contested
        first, as ranked when the live index was mined (`kb.glossary.contested`); for a
        viewer who may not read every document, as judged on the readable ones only."""
        page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
        store = self.candidates.provider()
        if store is None:  # no index yet: nothing to rank
            return ContestedPage([], 0, page, per_page)
        if not store.contested.available():
            return ContestedPage([], 0, page, per_page, available=False)
        if not store.candidates.reads_all(access):
            found = self._readable_contested(store, access)
            start = (page - 1) * per_page
            return ContestedPage(found[start : start + per_page], len(found), page, per_page)
        rows = store.contested.page((page - 1) * per_page, per_page)
        items = [ContestedTerm.from_dict(row) for row in rows]
        return ContestedPage(items, store.contested.count(), page, per_page)

    def _readable_contested(self, store, access: Access) -> list[ContestedTerm]:
        cached_store, by_access = self._contested
        if cached_store is not store:
            by_access = {}
            self._contested = (store, by_access)
        if access not in by_access:
            if len(by_access) >= MAX_CACHED_ACCESS:
                by_access.clear()
            by_access[access] = readable_contested(store, access)
        return by_access[access]

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
