"""API tokens: `Authorization: Bearer <token>` acts as the token's user.

A token is shown once, when created; the database keeps only its SHA-256 digest (a token has
256 random bits, so a fast digest is as safe as a slow password hash and costs microseconds
per request). Listing shows names and ids, never tokens; revoking deletes the row.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from kb.glossary.auth import DISABLED, hash_token, user_from_row
from kb.glossary.clock import Clock, parse_timestamp, timestamp, utc_now
from kb.glossary.errors import GlossaryError, NotFoundError
from kb.glossary.model import User
from kb.state import StateDB
from kb.state.tables import api_tokens, users

PREFIX = "kb_"  # so a leaked token is recognisable in logs and by secret scanners
NAME_PATTERN = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")
MAX_DAYS = 3650


@dataclass(frozen=True)
class ApiToken:
    id: int
    user: str
    name: str
    created_at: str
    expires_at: str | None  # None: never expires


class ApiTokens:
    def __init__(self, state: StateDB, clock: Clock = utc_now):
        self.engine = state.engine
        self.clock = clock

    def create(self, user: str, name: str = "", days: int | None = None) -> tuple[str, ApiToken]:
        """(the token, shown this once; its record). GlossaryError for a bad name, a bad
        number of days or an unknown user."""
        name = name or "token"
        check_token_options(name, days)
        token = PREFIX + secrets.token_urlsafe(32)
        now = self.clock()
        created = timestamp(now)
        expires = timestamp(now + dt.timedelta(days=days)) if days else None
        with self.engine.begin() as conn:
            query = select(users.c.id, users.c.password_hash).where(users.c.name == user)
            account = conn.execute(query).first()
            if account is None:
                raise NotFoundError(f"no user {user!r}; add one with `kb user add`")
            if account.password_hash == DISABLED:
                raise GlossaryError(f"user {user!r} is disabled; set a new password first")
            user_id = account.id
            row = dict(user_id=user_id, name=name, created_at=created, expires_at=expires)
            result = conn.execute(insert(api_tokens).values(token_hash=hash_token(token), **row))
            token_id = result.inserted_primary_key[0]
        return token, ApiToken(token_id, user, name, created, expires)

    def list(self, user: str | None = None) -> list[ApiToken]:
        query = select(
            api_tokens.c.id,
            users.c.name.label("user"),
            api_tokens.c.name,
            api_tokens.c.created_at,
            api_tokens.c.expires_at,
        ).join_from(api_tokens, users)
        if user is not None:
            query = query.where(users.c.name == user)
        with self.engine.connect() as conn:
            return [ApiToken(*row) for row in conn.execute(query.order_by(api_tokens.c.id))]

    def revoke(self, token_id: int) -> bool:
        """Delete the token; False if there was none with that id."""
        with self.engine.begin() as conn:
            result = conn.execute(delete(api_tokens).where(api_tokens.c.id == token_id))
        return result.rowcount > 0

    def user_for(self, token: str) -> User | None:
        """The user a live token acts as; None for an unknown, revoked or expired token."""
        if not token.startswith(PREFIX):
            return None
        query = (
            select(
                users.c.id, users.c.name, users.c.role, users.c.created_at,
                users.c.password_hash, api_tokens.c.expires_at,
            )
            .join_from(api_tokens, users)
            .where(api_tokens.c.token_hash == hash_token(token))
        )  # fmt: skip
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
            if row is None or (row.expires_at and parse_timestamp(row.expires_at) <= self.clock()):
                return None
            if row.password_hash == DISABLED:  # a token made before it was disabled
                return None
            return user_from_row(conn, row)


def check_token_options(name: str, days: int | None) -> None:
    if not NAME_PATTERN.match(name):
        raise GlossaryError("--name: 1-64 characters, no control characters")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise GlossaryError(f"--expires: a number of days from 1 to {MAX_DAYS}")
