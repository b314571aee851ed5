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
from collections.abc import Mapping
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from kb.text import WORD

log = logging.getLogger(__name__)

# Zipf value used for words the list does not know: rarer than nearly everything listed.
UNKNOWN_ZIPF = 1.0
# Without a reference, every word gets this: mid-frequency, so specificity is uninformative.
NEUTRAL_ZIPF = 3.5


def split_words(text: str) -> list[str]:
    """Lower-cased alphanumeric words of a term ("three-bladed rotor" -> three, bladed, rotor)."""
    lowered = text.lower()
    # Most terms are lower-case alphanumeric words between single spaces, which the pattern
    # returns as they are: `str.isalnum` is exactly the pattern's `[^\W_]`, and the test is a
    # third of the pattern's cost (a corpus ranks hundreds of thousands of terms).
    if lowered.replace(" ", "").isalnum():
        return lowered.split()
    return WORD.findall(lowered)


@lru_cache(maxsize=1)
def _zipf_function():
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        log.warning("wordfreq is not installed: term specificity falls back to a constant")
        return None
    return zipf_frequency


@lru_cache(maxsize=1)
def reference_version() -> str:
    """Names the word list, so that counts and Zipf values made with another one are not
    reused. Read from the package's metadata: importing wordfreq loads its word list."""
    try:
        return f"wordfreq-{version('wordfreq')}"
    except PackageNotFoundError:
        return "no-reference"


# Word -> Zipf value: every value this process used, whether looked up or `remember`ed.
_zipf_memo: dict[str, float] = {}
# The subset that wordfreq answered in this process, for a caller to store (`take_looked_up`).
_looked_up: dict[str, float] = {}


def general_zipf(word: str) -> float:
    """Zipf frequency of one lower-cased word in general English."""
    try:
        return _zipf_memo[word]
    except KeyError:
        value = _zipf_memo[word] = _look_up(word)
        return value


def _look_up(word: str) -> float:
    zipf = _zipf_function()
    if zipf is None:
        return NEUTRAL_ZIPF
    value = zipf(word, "en")
    value = _looked_up[word] = value if value > 0 else UNKNOWN_ZIPF
    return value


def remember_zipf(values: Mapping[str, float]) -> None:
    """Use ``values`` (word -> Zipf value under `reference_version`) instead of looking the
    words up: an index run stores what it looked up, and the next run spares itself
    wordfreq's import and its per-word tokenizer (a third of a second on a few thousand)."""
    _zipf_memo.update(values)


def take_looked_up() -> dict[str, float]:
    """The values wordfreq gave since the last call, to store with `reference_version`."""
    found = dict(_looked_up)
    _looked_up.clear()
    return found


def corpus_zipf(count: int, total_tokens: int) -> float:
    """The same Zipf scale for a word's frequency in the mined corpus."""
    return math.log10(max(count, 0.5) / max(total_tokens, 1) * 1e9)
