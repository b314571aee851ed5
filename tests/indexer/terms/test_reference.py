"""General-English word frequencies: words split as the pattern splits them, and Zipf values
an index run stored used instead of asking wordfreq again."""

from __future__ import annotations

import pytest

from indexer.terms import reference


@pytest.mark.parametrize(
    "term",
    ["rotor blade", "three-bladed rotor", "o'brien valve", "mach  2", "ÄBC Déf", "x_y z",
     "a\tb", "a\u00a0b", "İstanbul", "²nd stage", "٣ rotor", "r&d", "straße", "", " "],
)  # fmt: skip
def test_reference_split_words_fast_path_equals_the_pattern(term):
    from indexer.terms.reference import split_words
    from kb.text import WORD

    assert split_words(term) == WORD.findall(term.lower())


def test_reference_remembered_zipf_values_are_used_and_only_new_lookups_are_handed_back():
    # Words no other test asks for: the values a process used are kept for its lifetime.
    reference.remember_zipf({"remembered-valve-word": 1.25})
    assert reference.general_zipf("remembered-valve-word") == 1.25  # wordfreq was not asked
    reference.take_looked_up()  # what earlier tests looked up
    looked_up = reference.general_zipf("kaleidoscopically")
    assert 0 < looked_up < 3 or looked_up == reference.NEUTRAL_ZIPF
    expected = {} if looked_up == reference.NEUTRAL_ZIPF else {"kaleidoscopically": looked_up}
    assert reference.take_looked_up() == expected
    assert reference.general_zipf("kaleidoscopically") == looked_up  # remembered, not asked
    assert reference.take_looked_up() == {}
