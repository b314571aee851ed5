from pathlib import Path

import pytest

from kb.settings import Settings


def test_settings_environment_then_overrides():
    env = {"KB_KB_DIR": "/srv/kb", "KB_SEARCH_K": "5", "KB_PROGRESS": "no"}
    settings = Settings.from_env(env, search_k=7, embedder=None)
    assert settings.kb_dir == Path("/srv/kb")
    assert settings.search_k == 7
    assert settings.progress is False
    assert settings.embedder == "sentence-transformers"


def test_settings_bad_environment_value_is_named():
    with pytest.raises(ValueError, match="KB_PORT"):
        Settings.from_env({"KB_PORT": "eighty"})


def test_settings_every_setting_has_help():
    described = Settings.describe()
    assert {name for name, *_ in described} >= {"kb_dir", "model", "port"}
    assert all(help_text for *_, help_text in described)


def test_settings_choices_are_enforced():
    with pytest.raises(ValueError, match="KB_FUSION"):
        Settings(fusion="average")
