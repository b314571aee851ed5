"""Users, passwords, sessions (sliding expiry) and CSRF tokens, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from kb.glossary import Glossary, GlossaryError
from kb.glossary.auth import Auth, hash_token
from kb.state import StateDB
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def auth(tmp_path, clock, state_db) -> Auth:
    glossary = Glossary(tmp_path, session_hours=8, hasher=FAST_HASHER, clock=clock, state=state_db)
    glossary.auth.create_user("ed", PASSWORD, "editor")
    return glossary.auth


def query(auth: Auth, sql: str) -> list[tuple]:
    with auth.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_glossary_auth_verify_password_accepts_only_the_right_one(auth):
    assert auth.verify_password("ed", PASSWORD).role == "editor"
    assert auth.verify_password("ed", "wrong password") is None
    assert auth.verify_password("nobody", PASSWORD) is None


def test_glossary_auth_stores_argon2_hashes_not_passwords(auth):
    [stored] = query(auth, "SELECT password_hash FROM users")[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_glossary_auth_create_user_refuses_duplicates_bad_roles_and_short_passwords(auth):
    with pytest.raises(GlossaryError, match="already exists"):
        auth.create_user("ed", PASSWORD, "reader")
    with pytest.raises(GlossaryError, match="role"):
        auth.create_user("zed", PASSWORD, "owner")
    with pytest.raises(GlossaryError, match="at least 8"):
        auth.create_user("zed", "short", "reader")
    with pytest.raises(GlossaryError, match="user name"):
        auth.create_user("bad name", PASSWORD, "reader")
    assert [u.name for u in auth.users()] == ["ed"]


def test_glossary_auth_session_token_is_stored_hashed(auth):
    session = auth.create_session(auth.user("ed"))
    rows = query(auth, "SELECT token_hash FROM sessions")
    assert [r[0] for r in rows] == [hash_token(session.token)]
    assert auth.get_session(session.token).user.name == "ed"
    assert auth.get_session("made-up") is None


def test_glossary_auth_session_expires_after_session_hours(auth, clock):
    session = auth.create_session(auth.user("ed"))
    clock.advance(hours=8, seconds=1)
    assert auth.get_session(session.token) is None
    assert query(auth, "SELECT COUNT(*) FROM sessions") == [(0,)]


def test_glossary_auth_session_expiry_slides_with_use(auth, clock):
    session = auth.create_session(auth.user("ed"))
    for _ in range(3):  # 21 hours in all, never 8 idle
        clock.advance(hours=7)
        assert auth.get_session(session.token) is not None
    clock.advance(hours=8, minutes=1)
    assert auth.get_session(session.token) is None


def test_glossary_auth_delete_session_signs_out(auth):
    session = auth.create_session(auth.user("ed"))
    auth.delete_session(session.token)
    assert auth.get_session(session.token) is None


def test_glossary_auth_csrf_token_belongs_to_its_session(auth):
    first = auth.create_session(auth.user("ed"))
    second = auth.create_session(auth.user("ed"))
    assert first.csrf_token != second.csrf_token
    assert Auth.check_csrf(first, first.csrf_token)
    assert not Auth.check_csrf(first, second.csrf_token)
    assert not Auth.check_csrf(first, "")
    assert not Auth.check_csrf(None, first.csrf_token)


def test_glossary_auth_session_of_one_server_is_valid_on_another_until_logout(
    tmp_path, clock, state_db
):
    first = Glossary(tmp_path, hasher=FAST_HASHER, clock=clock, state=state_db)
    other_server = StateDB(state_db.url, tmp_path)  # its own engine and connections
    second = Glossary(tmp_path, hasher=FAST_HASHER, clock=clock, state=other_server)
    first.auth.create_user("ed", PASSWORD, "editor")
    session = first.auth.create_session(first.auth.user("ed"))
    assert second.auth.get_session(session.token).user.name == "ed"
    second.auth.delete_session(session.token)
    assert first.auth.get_session(session.token) is None
    other_server.dispose()
