"""API tokens: shown once, stored hashed, expiring and revocable; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from kb.glossary import Glossary, GlossaryError, NotFoundError
from kb.glossary.auth import hash_token
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD, FakeClock


@pytest.fixture
def glossary(tmp_path, state_db) -> Glossary:
    glossary = Glossary(tmp_path, hasher=FAST_HASHER, clock=FakeClock(), state=state_db)
    glossary.auth.create_user("ed", PASSWORD, "editor")
    glossary.auth.create_user("rita", PASSWORD, "reader")
    return glossary


def test_glossary_tokens_act_as_their_user_and_are_stored_hashed(glossary):
    token, record = glossary.tokens.create("ed", "nightly export")
    assert glossary.tokens.user_for(token).name == "ed"
    assert glossary.tokens.user_for(token + "x") is None
    with glossary.state.engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
    assert stored == [hash_token(token)]
    listed = glossary.tokens.list()
    assert [(t.id, t.user, t.name, t.expires_at) for t in listed] == [
        (record.id, "ed", "nightly export", None)
    ]
    assert token not in repr(listed)


def test_glossary_tokens_expire_after_the_days_given(glossary):
    token, record = glossary.tokens.create("ed", days=2)
    assert record.expires_at == "2025-03-03T09:00:00Z"
    glossary.clock.advance(days=1, hours=23)
    assert glossary.tokens.user_for(token).name == "ed"
    glossary.clock.advance(hours=1)
    assert glossary.tokens.user_for(token) is None


def test_glossary_tokens_revoke_ends_only_that_token(glossary):
    first, record = glossary.tokens.create("ed")
    second, _ = glossary.tokens.create("ed")
    assert glossary.tokens.revoke(record.id)
    assert glossary.tokens.user_for(first) is None
    assert glossary.tokens.user_for(second).name == "ed"
    assert not glossary.tokens.revoke(record.id)


def test_glossary_tokens_list_filters_by_user(glossary):
    glossary.tokens.create("ed", "a")
    glossary.tokens.create("rita", "b")
    assert [t.name for t in glossary.tokens.list("rita")] == ["b"]


def test_glossary_tokens_refuse_unknown_users_and_bad_options(glossary):
    with pytest.raises(NotFoundError, match="no user 'zed'"):
        glossary.tokens.create("zed")
    with pytest.raises(GlossaryError, match="--expires"):
        glossary.tokens.create("ed", days=0)
    with pytest.raises(GlossaryError, match="--name"):
        glossary.tokens.create("ed", "x" * 65)
    assert glossary.tokens.list() == []


def test_glossary_tokens_of_a_disabled_account_are_refused_until_a_new_password(glossary):
    token, _ = glossary.tokens.create("rita")
    glossary.auth.disable_user("rita")
    assert glossary.tokens.user_for(token) is None
    with pytest.raises(GlossaryError, match="disabled"):
        glossary.tokens.create("rita")
    glossary.auth.set_password("rita", PASSWORD + "2")
    assert glossary.tokens.user_for(glossary.tokens.create("rita")[0]).name == "rita"
