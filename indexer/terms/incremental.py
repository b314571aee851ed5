"""Count a corpus reusing the counts of texts counted before: only new texts are parsed.

Parsing with spaCy is most of the cost of mining, and a document's counts depend only on
its text, the pipeline and the span limits. So counts are stored under a fingerprint of
the latter two and the SHA-256 of the text; a re-index parses the texts it has no counts
for and merges the rest (`mine_counted`), with the same candidates as mining from scratch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from typing import Protocol

from indexer.digests import text_digest
from indexer.terms.config import MinerConfig
from indexer.terms.doc_counts import COUNTS_FORMAT, DocCounts
from indexer.terms.long_texts import count_texts
from indexer.terms.models import SourceDocument
from indexer.terms.reference import reference_version


class CountsStore(Protocol):
    """Where counts are kept between runs, by fingerprint and text digest."""

    def load(self, fingerprint: str, digests: set[str]) -> dict[str, DocCounts]: ...

    def save(self, fingerprint: str, counts: Mapping[str, DocCounts]) -> None: ...

    def keep_only(self, fingerprint: str, digests: set[str]) -> None: ...


@dataclass(frozen=True)
class CountedCorpus:
    """Every document's counts in corpus order, and how many texts had to be parsed."""

    doc_counts: list[DocCounts]
    texts_parsed: int
    documents_reused: int


def counting_fingerprint(nlp, config: MinerConfig) -> str:
    """Everything besides the text that a document's counts depend on."""
    meta = getattr(nlp, "meta", None) or {}
    pipeline = f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}" if meta else ""
    components = "+".join(getattr(nlp, "pipe_names", []))
    limits = f"words<={config.limits.max_words},links<={config.limits.max_links}"
    return " ".join(
        [
            pipeline or type(nlp).__qualname__,  # test doubles carry no meta
            f"[{components}]",
            f"spacy-{version('spacy')}",
            limits,
            f"counts-v{COUNTS_FORMAT}",
            reference_version(),
        ]
    )


def count_incrementally(
    documents: list[SourceDocument],
    store: CountsStore,
    nlp,
    config: MinerConfig = MinerConfig(),
    digests: list[str] | None = None,
) -> CountedCorpus:
    """Counts for ``documents``: stored ones reused, the others parsed and stored.

    ``digests``: the texts' `text_digest`s, if the caller has them already. The store then
    keeps only this corpus's texts, so it never outgrows the index.
    """
    fingerprint = counting_fingerprint(nlp, config)
    if digests is None:
        digests = [text_digest(document.text) for document in documents]
    known = store.load(fingerprint, set(digests))
    pairs = zip(digests, documents, strict=True)
    missing = {digest: document.text for digest, document in pairs if digest not in known}
    fresh = dict(zip(missing, count_texts(missing.values(), nlp, config), strict=True))
    store.save(fingerprint, fresh)
    store.keep_only(fingerprint, set(digests))
    counts = known | fresh
    reused = sum(digest in known for digest in digests)
    return CountedCorpus([counts[digest] for digest in digests], len(fresh), reused)
