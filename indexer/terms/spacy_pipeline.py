"""The spaCy pipeline glossary mining parses with: the components it reads, nothing else.

The miner reads tags, lemmas and sentence starts. The dependency parser and the entity
recognizer were over half of the small pipeline's time on NASA and ACTER text; the
sentence recognizer (shipped disabled) finds sentence starts for a fraction of the
parser's cost. Leave-one-domain-out F1 on ACTER with the term model retrained on this
pipeline: 0.461, against 0.465 with the full one (the spread between training settings
is 0.458-0.469), for half the parse time. Its attribute ruler is swapped for an indexed
one with the same rules and results (`models.attribute_rules`), and its lemmatizer
memoizes lemmas per word form (`models.lemma_memo`).
"""

from __future__ import annotations

from models import nlp as spacy_models

UNUSED_COMPONENTS = ("parser", "ner")


def mining_pipeline(name: str = spacy_models.DEFAULT_SPACY_MODEL):
    """The installed pipeline ``name`` as mining uses it (`models.nlp.load_spacy`)."""
    from models.attribute_rules import index_attribute_rules
    from models.lemma_memo import memoize_lemmatizer

    nlp = spacy_models.load_spacy(name, exclude=UNUSED_COMPONENTS, sentences=True)
    if hasattr(nlp, "pipe_names"):  # test doubles have no components
        index_attribute_rules(nlp)
        memoize_lemmatizer(nlp)
    return nlp
