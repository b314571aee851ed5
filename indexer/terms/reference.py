"""General-English word frequencies, the reference a domain term is contrasted with.

The reference is the `wordfreq` package (offline word lists bundled in the wheel, Zipf scale:
log10 of occurrences per billion words, so "the" is about 7.7 and a rare word about 1-2).
spaCy's small English pipeline carries no probability table, so there is no installed
alternative. Without `wordfreq` the miner still runs, with every word given the same
middling frequency: the ranking then rests on corpus statistics alone and is weaker.
"""

from __future__ import annotations

import logging
import math
import re
from functools import lru_cache

log = logging.getLogger(__name__)

# Zipf value used for words the list does not know: rarer than nearly everything listed.
UNKNOWN_ZIPF = 1.0
# Without a reference, every word gets this: mid-frequency, so specificity is uninformative.
NEUTRAL_ZIPF = 3.5
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def split_words(text: str) -> list[str]:
    """Lower-cased alphanumeric words of a term ("three-bladed rotor" -> three, bladed, rotor)."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=1)
def _zipf_function():
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        log.warning("wordfreq is not installed: term specificity falls back to a constant")
        return None
    return zipf_frequency


def has_reference() -> bool:
    return _zipf_function() is not None


def reference_version() -> str:
    """Names the word list, so that counts made with another one are not reused."""
    if not has_reference():
        return "no-reference"
    from importlib.metadata import version

    return f"wordfreq-{version('wordfreq')}"


@lru_cache(maxsize=200_000)
def general_zipf(word: str) -> float:
    """Zipf frequency of one lower-cased word in general English."""
    zipf = _zipf_function()
    if zipf is None:
        return NEUTRAL_ZIPF
    value = zipf(word, "en")
    return value if value > 0 else UNKNOWN_ZIPF


def corpus_zipf(count: int, total_tokens: int) -> float:
    """The same Zipf scale for a word's frequency in the mined corpus."""
    return math.log10(max(count, 0.5) / max(total_tokens, 1) * 1e9)
