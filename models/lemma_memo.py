"""spaCy's rule lemmatizer, asked once per distinct word form instead of once per token.

A rule lemma is a function of the token's text, part of speech and morphology, but spaCy
works it out token by token in Python (creating a Token object, a cache lookup that misses
for every base form, a string write), and each new word form searched lists of up to 57,000
known lemmas from end to end: on NASA text that took as long as the tagger and the attribute
ruler together. `memoize_lemmatizer` keeps the pipeline's own lemmatizer and rules, but
looks each (text, part of speech, morphology) up once per corpus, writes a Doc's lemmas as
one array, and gives the lemma lists a set to answer `in`. The lemmas are the same (a slow
test compares them on real text).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

_KEY = [ORTH, POS, MORPH]  # all a rule lemma depends on


class MemoizedLemmaMixin:
    """Put first in the bases of a rule-mode `Lemmatizer` subclass."""

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule":
            return super().__call__(doc)
        error_handler = self.get_error_handler()
        try:
            self._set_lemmas(doc)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def initialize(self, *args, **kwargs):
        self.__dict__.pop("_lemma_memo", None)  # new tables: lemmas worked out again
        super().initialize(*args, **kwargs)
        _index_lemma_lists(self)

    def _set_lemmas(self, doc: Doc) -> None:
        lemmas = doc.to_array([LEMMA])
        todo = np.arange(len(doc)) if self.overwrite else np.flatnonzero(lemmas == 0)
        if not len(todo):
            return
        keys, first, inverse = np.unique(
            doc.to_array(_KEY)[todo], axis=0, return_index=True, return_inverse=True
        )
        found = [
            self._lemma(doc, key, int(todo[i])) for key, i in zip(keys.tolist(), first, strict=True)
        ]
        lemmas[todo] = np.asarray(found, dtype=np.uint64)[inverse.reshape(-1)]
        doc.from_array([LEMMA], lemmas)

    def _lemma(self, doc: Doc, key: list[int], index: int) -> int:
        memo, key = self.__dict__.setdefault("_lemma_memo", {}), tuple(key)
        lemma = memo.get(key)
        if lemma is None:
            lemma = memo[key] = self.vocab.strings.add(self.lemmatize(doc[index])[0])
        return lemma


class ListWithSetLookup(list):
    """A list whose `in` is a set lookup; otherwise (order, serialization) the same list."""

    def __init__(self, items=()):
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item) -> bool:
        return item in self._members


def _index_lemma_lists(lemmatizer: Lemmatizer) -> None:
    if "lemma_index" not in lemmatizer.lookups:
        return
    table = lemmatizer.lookups.get_table("lemma_index")
    for key, lemmas in list(table.items()):
        if isinstance(lemmas, list) and not isinstance(lemmas, ListWithSetLookup):
            table[key] = ListWithSetLookup(lemmas)


@cache
def _memoized(cls: type) -> type:
    return type(f"Memoized{cls.__name__}", (MemoizedLemmaMixin, cls), {})


def memoize_lemmatizer(nlp: Language, name: str = "lemmatizer") -> None:
    """Make the pipeline's rule lemmatizer ``name`` memoize its lemmas (others are left be).

    The component keeps its class's rules, tables and configuration: only its class is
    swapped for a subclass with the memoizing `__call__` (it is a plain Python class).
    """
    if name not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe(name)
    if isinstance(lemmatizer, Lemmatizer) and not isinstance(lemmatizer, MemoizedLemmaMixin):
        lemmatizer.__class__ = _memoized(type(lemmatizer))
        _index_lemma_lists(lemmatizer)
