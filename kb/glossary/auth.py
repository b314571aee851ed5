"""Users and sessions in the state database: argon2 password hashes, hashed session tokens,
CSRF tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kb.glossary.clock import Clock, parse_timestamp, timestamp, utc_now
from kb.glossary.departments import load_departments, replace_departments
from kb.glossary.errors import GlossaryError
from kb.glossary.model import ROLES, Session, User
from kb.glossary.names import NAME_PATTERN, clean_departments
from kb.glossary.sign_in_failures import database_throttle
from kb.glossary.throttle import SignInLimits
from kb.state import StateDB
from kb.state.tables import api_tokens, sessions, users

MIN_PASSWORD_LENGTH = 8
# A password hash no password matches (not an argon2 hash): a disabled account, as `passwd -l`.
DISABLED = "!disabled"
SLIDE_AFTER = dt.timedelta(minutes=1)  # extend a session at most once a minute
_USER_COLUMNS = (users.c.id, users.c.name, users.c.role, users.c.created_at)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Auth:
    def __init__(
        self,
        state: StateDB,
        session_hours: int,
        hasher: PasswordHasher | None = None,
        clock: Clock = utc_now,
        sign_in_limits: SignInLimits | None = None,
    ):
        self.state = state
        self.engine = state.engine
        self.lifetime = dt.timedelta(hours=session_hours)
        self.hasher = hasher or PasswordHasher()
        self.clock = clock
        self.throttle = database_throttle(self.engine, sign_in_limits, clock)
        self._dummy: str | None = None

    @property
    def _dummy_hash(self) -> str:
        """A hash to check unknown names against (made on first use: hashing is slow)."""
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_hex(16))
        return self._dummy

    # -- users -------------------------------------------------------------------------

    def create_user(
        self, name: str, password: str, role: str, departments: tuple[str, ...] = ()
    ) -> User:
        check_new_user(name, password, role)
        departments = clean_departments(departments)
        created = timestamp(self.clock())
        row = dict(name=name, role=role, password_hash=self.hasher.hash(password))
        try:
            with self.engine.begin() as conn:
                result = conn.execute(insert(users).values(**row, created_at=created))
                replace_departments(conn, result.inserted_primary_key[0], departments)
        except IntegrityError:  # the unique name, also against another server's insert
            raise GlossaryError(f"user {name!r} already exists") from None
        return User(name, role, created, departments)

    def edit_user(
        self, name: str, role: str | None = None, departments: tuple[str, ...] | None = None
    ) -> User:
        """Change an account's role and/or replace its departments; None leaves it as is."""
        if role is not None and role not in ROLES:
            raise GlossaryError(f"--role {role!r}: must be one of {', '.join(ROLES)}")
        cleaned = None if departments is None else clean_departments(departments)
        with self.engine.begin() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
            if user_id is None:
                raise GlossaryError(f"no user {name!r}; add one with `kb user add`")
            if role is not None:
                conn.execute(update(users).where(users.c.id == user_id).values(role=role))
            if cleaned is not None:
                replace_departments(conn, user_id, cleaned)
        return self.user(name)

    def set_password(self, name: str, password: str) -> None:
        """A new password (this enables a disabled account); every session of the account
        ends, so whoever held the old password is signed out."""
        check_password(password)
        self._replace_password(name, self.hasher.hash(password))

    def disable_user(self, name: str) -> None:
        """No sign-in, session or API token works for the account until a new password."""
        self._replace_password(name, DISABLED)
        with self.engine.begin() as conn:
            user_id = select(users.c.id).where(users.c.name == name).scalar_subquery()
            conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user_id))

    def delete_user(self, name: str) -> None:
        """The account, its departments, sessions and API tokens (history keeps the name)."""
        with self.engine.begin() as conn:
            if not conn.execute(delete(users).where(users.c.name == name)).rowcount:
                raise GlossaryError(f"no user {name!r}")

    def disabled_users(self) -> set[str]:
        with self.engine.connect() as conn:
            query = select(users.c.name).where(users.c.password_hash == DISABLED)
            return set(conn.execute(query).scalars())

    def last_sign_ins(self) -> dict[str, str]:
        """{user: when their newest live session began}; sessions that ended are not kept."""
        query = select(users.c.name, func.max(sessions.c.created_at)).join_from(sessions, users)
        with self.engine.connect() as conn:
            return dict(conn.execute(query.group_by(users.c.name)).all())

    def _replace_password(self, name: str, password_hash: str) -> None:
        with self.engine.begin() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
            if user_id is None:
                raise GlossaryError(f"no user {name!r}")
            conn.execute(
                update(users).where(users.c.id == user_id).values(password_hash=password_hash)
            )
            conn.execute(delete(sessions).where(sessions.c.user_id == user_id))

    def users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(*_USER_COLUMNS).order_by(users.c.name)).all()
            return [user_from_row(conn, row) for row in rows]

    def user(self, name: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(*_USER_COLUMNS).where(users.c.name == name)).first()
            return user_from_row(conn, row) if row else None

    def active_user(self, name: str) -> tuple[User | None, bool]:
        """(the account, False) or (None, True) for a disabled one, (None, False) for none:
        one query, for callers that sign people in on every request (a trusted proxy)."""
        query = select(*_USER_COLUMNS, users.c.password_hash).where(users.c.name == name)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None, False
            if row.password_hash == DISABLED:
                return None, True
            return user_from_row(conn, row), False

    def verify_password(self, name: str, password: str) -> User | None:
        """The user if the password is right; None for a wrong password or an unknown name.

        An unknown name still costs one hash check, so timing does not tell which was wrong.
        """
        with self.engine.connect() as conn:
            query = select(users.c.password_hash).where(users.c.name == name)
            stored = conn.execute(query).scalar()
        if stored == DISABLED:  # checked like an unknown name: timing does not tell either
            stored = None
        try:
            self.hasher.verify(stored or self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if stored is None:
            return None
        if self.hasher.check_needs_rehash(stored):
            self._rehash(name, password)
        return self.user(name)

    def sign_in(self, name: str, password: str, address: str) -> User | None:
        """verify_password, throttled: raises kb.glossary.throttle.SignInRefused, without
        checking the password, while `name` or `address` is locked or while every
        password-check slot is taken; counts a wrong password against both."""
        self.throttle.check(name, address)
        with self.throttle.password_check():
            user = self.verify_password(name, password)
        if user is None:
            self.throttle.failed(name, address)
        else:
            self.throttle.succeeded(name)
        return user

    def _rehash(self, name: str, password: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.name == name)
                .values(password_hash=self.hasher.hash(password))
            )

    # -- sessions ----------------------------------------------------------------------

    def create_session(self, user: User) -> Session:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        expires = timestamp(now + self.lifetime)
        user_id = select(users.c.id).where(users.c.name == user.name).scalar_subquery()
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at <= timestamp(now)))
            conn.execute(
                insert(sessions).values(
                    token_hash=hash_token(token),
                    user_id=user_id,
                    created_at=timestamp(now),
                    expires_at=expires,
                    csrf_token=csrf,
                )
            )
        return Session(user, expires, csrf, token)

    def get_session(self, token: str | None) -> Session | None:
        """The live session for a cookie value, its expiry pushed back (sliding); else None."""
        if not token:
            return None
        query = (
            select(*_USER_COLUMNS, sessions.c.expires_at, sessions.c.csrf_token)
            .join_from(sessions, users)
            .where(sessions.c.token_hash == hash_token(token))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
            user = user_from_row(conn, row) if row else None
        if row is None:
            return None
        now = self.clock()
        expires = parse_timestamp(row.expires_at)
        if expires <= now:
            self.delete_session(token)
            return None
        if now + self.lifetime - expires >= SLIDE_AFTER:
            expires = now + self.lifetime
            self._extend(token, timestamp(expires))
        return Session(user, timestamp(expires), row.csrf_token)

    def _extend(self, token: str, expires_at: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(sessions)
                .where(sessions.c.token_hash == hash_token(token))
                .values(expires_at=expires_at)
            )

    def delete_session(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == hash_token(token)))

    @staticmethod
    def check_csrf(session: Session | None, token: str | None) -> bool:
        """Constant-time comparison of a submitted CSRF token with the session's."""
        if session is None or not token:
            return False
        return hmac.compare_digest(session.csrf_token.encode(), token.encode())


def user_from_row(conn, row) -> User:
    """The User of a row holding users.id, name, role and created_at, with its departments."""
    departments = load_departments(conn, row.id)
    return User(row.name, row.role, row.created_at, departments)


def check_new_user(name: str, password: str, role: str) -> None:
    if not NAME_PATTERN.match(name):
        raise GlossaryError(
            f"user name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    if role not in ROLES:
        raise GlossaryError(f"--role {role!r}: must be one of {', '.join(ROLES)}")
    check_password(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise GlossaryError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
