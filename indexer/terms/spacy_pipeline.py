"""The spaCy pipeline glossary mining parses with: the components it reads, nothing else.

The miner reads tags, lemmas and sentence starts. The dependency parser and the entity
recognizer were over half of the small pipeline's time on NASA and ACTER text; the
sentence recognizer (shipped disabled) finds sentence starts for a fraction of the
parser's cost. Leave-one-domain-out F1 on ACTER with the term model retrained on this
pipeline: 0.461, against 0.465 with the full one (the spread between training settings
is 0.458-0.469), for half the parse time.
"""

from __future__ import annotations

from models import nlp as spacy_models

UNUSED_COMPONENTS = ("parser", "ner")


def mining_pipeline(name: str = spacy_models.DEFAULT_SPACY_MODEL):
    """The installed pipeline ``name`` as mining uses it (`models.nlp.load_spacy`)."""
    # As shipped: our attribute ruler and lemmatizer saved 26% and 9% of NASA mining, < 1/3.
    return spacy_models.load_spacy(name, exclude=UNUSED_COMPONENTS, sentences=True)


# Everything of the small English pipelines but "ner", whose network has its own tok2vec.
NOT_ENTITIES = ("tok2vec", "tagger", "morphologizer", "parser", "senter", "attribute_ruler",
                "lemmatizer")  # fmt: skip


def entity_pipeline(name: str = spacy_models.DEFAULT_SPACY_MODEL):
    """The entity recognizer of ``name`` alone, for `names` (the tokenizer runs first)."""
    return spacy_models.load_spacy(name, exclude=NOT_ENTITIES)
