"""The memoizing lemmatizer gives spaCy's rule lemmas, however often a word form repeats."""

from __future__ import annotations

import pytest
import spacy
from spacy.lookups import Lookups
from spacy.tokens import Doc

from models.lemma_memo import ListWithSetLookup, memoize_lemmatizer

WORDS = ["The", "mice", "chewed", "cables", ";", "cables", "were", "replaced", " ", "Cables",
         "safer"]  # fmt: skip
POS = ["DET", "NOUN", "VERB", "NOUN", "PUNCT", "NOUN", "AUX", "VERB", "SPACE", "NOUN", "ADJ"]
MORPHS = ["", "Number=Plur", "Tense=Past|VerbForm=Fin", "Number=Plur", "", "Number=Sing",
          "Tense=Past|VerbForm=Fin", "Tense=Past|VerbForm=Part", "", "Number=Plur",
          "Degree=Cmp"]  # fmt: skip


def rule_lemmatizer_nlp():
    nlp = spacy.blank("en")
    lookups = Lookups()
    lookups.add_table("lemma_rules", {"noun": [["s", ""]], "verb": [["ed", ""], ["ed", "e"]]})
    lookups.add_table("lemma_index", {"noun": ["cable", "mouse"], "verb": ["chew", "replace"]})
    lookups.add_table("lemma_exc", {"noun": {"mice": ["mouse"]}, "aux": {"were": ["be"]}})
    nlp.add_pipe("lemmatizer", config={"mode": "rule"}).initialize(lookups=lookups)
    return nlp


def hand_built(nlp, lemmas=None) -> Doc:
    return Doc(nlp.vocab, words=WORDS, pos=POS, morphs=MORPHS, lemmas=lemmas)


def test_lemma_memo_gives_spacys_lemmas_on_every_doc():
    plain, memoized = rule_lemmatizer_nlp(), rule_lemmatizer_nlp()
    memoize_lemmatizer(memoized)
    expected = [t.lemma_ for t in plain(hand_built(plain))]
    assert "mouse" in expected and "replace" in expected
    for _ in range(2):  # the second Doc is answered from the memo
        assert [t.lemma_ for t in memoized(hand_built(memoized))] == expected


@pytest.mark.parametrize("overwrite", [False, True])
def test_lemma_memo_keeps_lemmas_already_set_unless_overwriting(overwrite):
    nlp = rule_lemmatizer_nlp()
    nlp.get_pipe("lemmatizer").overwrite = overwrite
    memoize_lemmatizer(nlp)
    given = ["kept"] + [""] * (len(WORDS) - 1)
    first = nlp(hand_built(nlp, lemmas=given))[0].lemma_
    assert first == ("the" if overwrite else "kept")


def test_lemma_memo_follows_spacy_when_tables_change():
    def lemmas_before_and_after(nlp):
        before = [t.lemma_ for t in nlp(hand_built(nlp))]
        lookups = Lookups()
        # Adjectives had no rules: spaCy gave "safer" without caching it, and now "safe".
        lookups.add_table("lemma_rules", {"noun": [["ice", "ouse"]], "adj": [["r", ""]]})
        lookups.add_table("lemma_index", {"noun": [], "adj": ["safe"]})
        lookups.add_table("lemma_exc", {})
        nlp.get_pipe("lemmatizer").initialize(lookups=lookups)
        return before, [t.lemma_ for t in nlp(hand_built(nlp))]

    plain, memoized = rule_lemmatizer_nlp(), rule_lemmatizer_nlp()
    memoize_lemmatizer(memoized)
    expected = lemmas_before_and_after(plain)
    assert (expected[0][-1], expected[1][-1]) == ("safer", "safe")
    assert lemmas_before_and_after(memoized) == expected


def test_lemma_memo_index_lists_stay_lists():
    nlp = rule_lemmatizer_nlp()
    memoize_lemmatizer(nlp)
    nouns = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")["noun"]
    assert isinstance(nouns, ListWithSetLookup) and nouns == ["cable", "mouse"]
    assert "cable" in nouns and "cables" not in nouns
    copy = rule_lemmatizer_nlp()
    copy.get_pipe("lemmatizer").from_bytes(nlp.get_pipe("lemmatizer").to_bytes())
    assert copy(hand_built(copy))[1].lemma_ == "mouse"
