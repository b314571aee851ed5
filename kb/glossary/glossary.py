"""The Glossary facade: one object the CLI and the web app use for everything editorial."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher

from kb.glossary.candidates import CandidateSource, StoreProvider
from kb.glossary.contested_model import ContestedPage, ContestedTerm
from kb.glossary.db import GLOSSARY_DB, Clock, GlossaryDB, utc_now
from kb.glossary.errors import GlossaryError
from kb.glossary.exchange import to_csv, to_json
from kb.glossary.importer import import_bytes
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
from kb.glossary.store import TermStore
from kb.glossary.throttle import SignInLimits
from kb.settings import Settings
from kb.state import StateDB

if TYPE_CHECKING:
    from kb.glossary.auth import Auth
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
    """Editorial state in KB_DIR/glossary.sqlite over the candidates of the live generation,
    and accounts in the state database.

    `store_provider` returns the live generation's Store (or None without an index); the
    web app passes `lambda: kb.store`, so candidates follow each new `kb index` run.
    `state` is the state database; without one, the default SQLite file in kb_dir. It is
    opened when accounts are first used, and created then if empty.
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
        self.db = GlossaryDB(self.kb_dir / GLOSSARY_DB)
        self.terms = TermStore(self.db)
        self.candidates = CandidateSource(store_provider)
        self._state, self._owns_state = state, state is None
        self._auth_options = (session_hours, hasher, clock, sign_in_limits)
        self.editor = EditorialService(self.db, self.terms, self.candidates, clock)
        self.public = PublicGlossary(self.terms, self.candidates)
        self.clock = clock

    @property
    def state(self) -> StateDB:
        if self._state is None:
            self._state = StateDB.from_settings(Settings(kb_dir=self.kb_dir))
        self._state.require_current()  # checks once, then returns at once
        return self._state

    # Auth and ApiTokens import SQLAlchemy (~0.15 s): only when accounts are first used
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
        return import_bytes(self.db, self.terms, user, data, filename, self.clock)

    def close(self) -> None:
        self.db.close()
        if self._owns_state and self._state is not None:
            self._state.dispose()
