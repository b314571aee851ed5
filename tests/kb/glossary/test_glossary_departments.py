"""Roles and departments of accounts, on SQLite and PostgreSQL: stored, replaced, and carried
by the user of a session and of an API token (what the web's access filter reads)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb.glossary import Glossary, GlossaryError
from kb.state.migrate import upgrade
from kb.state.tables import users
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD, FakeClock


@pytest.fixture
def glossary(tmp_path, state_db) -> Glossary:
    return Glossary(
        tmp_path, session_hours=8, hasher=FAST_HASHER, clock=FakeClock(), state=state_db
    )


def test_glossary_departments_are_stored_sorted_without_duplicates(glossary):
    made = glossary.auth.create_user("fay", PASSWORD, "reader", ("Legal", " Finance", "Legal"))
    assert made.departments == ("Finance", "Legal")
    assert glossary.auth.user("fay").departments == ("Finance", "Legal")
    assert [u.departments for u in glossary.auth.users()] == [("Finance", "Legal")]


def test_glossary_departments_travel_with_sessions_and_tokens(glossary):
    fay = glossary.auth.create_user("fay", PASSWORD, "contributor", ("Finance",))
    session = glossary.auth.create_session(fay)
    found = glossary.auth.get_session(session.token).user
    assert (found.role, found.departments) == ("contributor", ("Finance",))
    token, _ = glossary.tokens.create("fay", "ci")
    assert glossary.tokens.user_for(token).departments == ("Finance",)


def test_glossary_departments_edit_replaces_them_and_changes_the_role(glossary):
    glossary.auth.create_user("fay", PASSWORD, "reader", ("Finance", "Legal"))
    edited = glossary.auth.edit_user("fay", role="editor", departments=("Safety",))
    assert (edited.role, edited.departments) == ("editor", ("Safety",))
    assert glossary.auth.edit_user("fay", role="admin").departments == ("Safety",)
    assert glossary.auth.edit_user("fay", departments=()).departments == ()


def test_glossary_departments_bad_input_names_the_option(glossary):
    with pytest.raises(GlossaryError, match="--role 'boss'"):
        glossary.auth.create_user("fay", PASSWORD, "boss")
    glossary.auth.create_user("fay", PASSWORD, "reader")
    with pytest.raises(GlossaryError, match="--role 'boss'"):
        glossary.auth.edit_user("fay", role="boss")
    with pytest.raises(GlossaryError, match="--department"):
        glossary.auth.edit_user("fay", departments=("A,B",))
    with pytest.raises(GlossaryError, match="no user 'nobody'"):
        glossary.auth.edit_user("nobody", role="reader")
    assert glossary.auth.user("fay").role == "reader"


def test_glossary_departments_migration_keeps_editors_and_demotes_unknown_roles(
    state_url, tmp_path
):
    from kb.state import StateDB

    db = StateDB(state_url, tmp_path)
    upgrade(db, "0004")
    with db.engine.begin() as conn:
        for name, role in (("ed", "editor"), ("al", "admin"), ("odd", "superuser")):
            conn.execute(
                users.insert().values(name=name, role=role, password_hash="x", created_at="")
            )
    upgrade(db)
    with db.engine.connect() as conn:
        roles = {row.name: row.role for row in conn.execute(select(users.c.name, users.c.role))}
    assert roles == {"ed": "editor", "al": "admin", "odd": "reader"}
    db.dispose()
