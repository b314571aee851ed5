"""What words mean to a pack: the corpus's own term candidates, how common a word is in
general English, and whether a word can be a verb.

Term candidates are mined by `kb index` (`term_candidates` in the generation's kb.sqlite) and
read here without writing anything. General-English frequency comes from the `wordfreq`
package on the Zipf scale (log10 of occurrences per billion words: "the" is about 7.7,
"vendor" 3.8, "hypercare" 0). Without the package every word counts as everyday English, so
the jargon detector then reports acronyms and the corpus's own terms only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kb.index.filters import Filters
from kb.index.store import Store
from models.nlp import DEFAULT_SPACY_MODEL


@dataclass(frozen=True)
class CorpusTerm:
    display: str
    documents: int  # how many documents use it
    expansion: str = ""  # for acronyms: what the corpus spells out
    written: str = ""  # its most frequent surface form, e.g. "SLA", "shift handover"

    @property
    def proper_name(self) -> bool:
        """Written in Title Case ("Yusuf Demir", "Ledgerline"): a name, not a concept."""
        words = self.written.split()
        return bool(words) and all(w[:1].isupper() and not w.isupper() for w in words)


def corpus_terms(
    store: Store, readable: Filters | None = None, forms: list[str] | None = None
) -> dict[str, CorpusTerm]:
    """Accepted candidates (past the miner's cut-off) by every lower-cased way they are
    written; with `readable` (a reader's access filter), as mined from what they may read;
    with `forms`, only those written so (a pack's few jargon terms, not thousands)."""
    if forms is not None or (readable is not None and readable.restricts_access):
        rows = store.candidates.accepted_shared_readable(readable or Filters(), forms)
    else:
        rows = store.candidates.accepted_shared()
    found: dict[str, CorpusTerm] = {}
    for display, written, expansion, documents in rows:
        common = max(written, key=written.get) if written else display
        term = CorpusTerm(display, documents, expansion or "", common)
        for form in [display, *written]:
            found.setdefault(" ".join(form.lower().split()), term)
    return found


def concept_phrases(terms: dict[str, CorpusTerm], max_documents: int) -> dict[str, str]:
    """Lower-cased form -> how the corpus writes it, for concepts only (no people or places)
    and not in more than max_documents documents (too general to name a theme)."""
    return {
        form: t.written
        for form, t in terms.items()
        if not t.proper_name and t.documents <= max_documents
    }


EVERYDAY = 5.0  # what every word counts as without the package


@lru_cache(maxsize=1)
def _lookup():
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return zipf_frequency


@lru_cache(maxsize=50_000)
def zipf(word: str) -> float:
    lookup = _lookup()
    return EVERYDAY if lookup is None else lookup(word, "en")


@lru_cache(maxsize=1)
def base_verbs() -> frozenset[str] | None:
    """English verbs in their base form ("put", "ensure", not "vendor"): the WordNet verb
    index the English spaCy pipeline ships for its lemmatizer, read without loading the
    pipeline; None if the pipeline is not installed."""
    try:
        from spacy.lookups import Lookups
        from spacy.util import get_package_path
    except ImportError:
        return None
    try:
        package = get_package_path(DEFAULT_SPACY_MODEL)
    except (ImportError, OSError, ValueError):
        return None
    for folder in package.glob("*/lemmatizer/lookups"):
        index = Lookups().from_disk(folder).get_table("lemma_index", {})
        return frozenset(index.get("verb", ())) or None
    return None
