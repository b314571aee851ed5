"""The indexed attribute ruler sets exactly what spaCy's attribute ruler sets."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from indexer.terms.spacy_pipeline import mining_pipeline
from models.attribute_rules import FACTORY, index_attribute_rules
from models.nlp import DEFAULT_SPACY_MODEL

ANNOTATIONS = [TAG, POS, MORPH, LEMMA, DEP]
# Every kind of test the indexed path handles, one of each that it leaves to the Matcher
# (two tokens, a regular expression), rules that overlap (a later rule overrides an
# earlier one) and a target token other than the first.
RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NN", "LOWER": "something"}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"TAG": {"IN": ["VBZ", "VBD"]}}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"TAG": "VBZ", "LOWER": {"IN": ["is", "has"]}}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"LOWER": "the"}]], "attrs": {"MORPH": "Definite=Def|PronType=Art"}},
    {"patterns": [[{"TAG": "DT", "DEP": {"NOT_IN": ["det", ""]}}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    {
        "patterns": [[{"TAG": "VBZ", "LOWER": "gets"}], [{"TAG": "VBD", "LOWER": "got"}]],
        "attrs": {"LEMMA": "get"},
    },  # fmt: skip
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'?$"}}]], "attrs": {"LEMMA": "nothing"}},
    # The optional word is absent from the text: the Matcher must run all the same.
    {
        "patterns": [[{"LOWER": "absent", "OP": "?"}, {"TAG": "VBD", "LOWER": "got"}]],
        "attrs": {"LEMMA": "obtain"},
    },
]
WORDS = ["The", "rotor", "is", "something", "that", "gets", "nothin", " ", "gon", "na", "got"]
TAGS = ["DT", "NN", "VBZ", "NN", "DT", "VBZ", "NN", "_SP", "VBG", "TO", "VBD"]
DEPS = ["det", "nsubj", "ROOT", "attr", "nsubj", "relcl", "dobj", "dep", "aux", "aux", "conj"]


def annotated(nlp, with_deps: bool) -> Doc:
    deps = DEPS if with_deps else None
    heads = list(range(len(WORDS))) if with_deps else None
    return Doc(nlp.vocab, words=WORDS, tags=TAGS, deps=deps, heads=heads)


@pytest.mark.parametrize("with_deps", [True, False])
def test_attribute_rules_match_spacys_ruler(with_deps):
    nlp = spacy.blank("en")
    reference = AttributeRuler(nlp.vocab)
    reference.add_patterns(RULES)
    nlp.add_pipe(FACTORY).add_patterns(RULES)
    expected = reference(annotated(nlp, with_deps)).to_array(ANNOTATIONS)
    got = nlp.get_pipe(FACTORY)(annotated(nlp, with_deps)).to_array(ANNOTATIONS)
    assert got.tolist() == expected.tolist()
    assert [t.lemma_ for t in nlp.get_pipe(FACTORY)(annotated(nlp, with_deps))][9:] == [
        "to",
        "obtain",
    ]


def test_attribute_rules_replace_the_ruler_with_its_rules():
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(RULES)
    index_attribute_rules(nlp)
    assert nlp.pipe_names == ["attribute_ruler"]
    assert json.dumps(nlp.get_pipe("attribute_ruler").patterns) == json.dumps(
        [
            {"patterns": r["patterns"], "attrs": r["attrs"], "index": r.get("index", 0)}
            for r in RULES
        ]
    )


@pytest.mark.slow
def test_attribute_rules_equal_spacys_on_nasa_lessons(shared_data):
    lines = (shared_data / "nasa-llis" / "lessons.jsonl").read_text().splitlines()[:60]
    texts = [" ".join(v for v in json.loads(line).values() if isinstance(v, str)) for line in lines]
    indexed = mining_pipeline()
    plain = spacy.load(DEFAULT_SPACY_MODEL, exclude=["parser", "ner"])
    plain.enable_pipe("senter")
    assert indexed.pipe_names == plain.pipe_names
    for ours, theirs in zip(indexed.pipe(texts), plain.pipe(texts), strict=True):
        assert ours.to_array(ANNOTATIONS).tolist() == theirs.to_array(ANNOTATIONS).tolist()
