"""Fixtures of the mining tests: the fake spaCy pipeline wherever mining loads one."""

from __future__ import annotations

import pytest

import models.nlp
from tests.indexer.terms.support import CountingNlp


@pytest.fixture
def nlp(monkeypatch) -> CountingNlp:
    """The fake pipeline, handed out by `models.nlp.load_spacy` (only in this process: a
    mining child process loads the real one)."""
    fake = CountingNlp()
    monkeypatch.setattr(models.nlp, "load_spacy", lambda *args, **kwargs: fake)
    return fake
