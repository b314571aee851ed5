"""Train the term model on labelled corpora and measure it leave-one-domain-out.

The shipped `term_model.json` is trained on the three shared ACTER domains (corp, equi,
wind); to check that it transfers to an unseen domain, `leave_one_domain_out` trains on
all but one domain and scores the held-out one with exactly the path `mine_terms` uses.

    python -m indexer.terms.train ../shared/data/acter   # rewrites term_model.json
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from indexer.terms.acronyms import find_acronyms
from indexer.terms.boosted import BoostedModel, from_sklearn
from indexer.terms.collect import count_corpus
from indexer.terms.config import MinerConfig
from indexer.terms.evaluate import TermScores, load_gold, score_terms
from indexer.terms.feature_columns import feature_columns, feature_matrix
from indexer.terms.miner import mine_parsed
from indexer.terms.models import SourceDocument
from indexer.terms.ranking import MODEL_PATH
from indexer.terms.view import corpus_view

if TYPE_CHECKING:  # spaCy is imported by the pipeline that makes the Docs
    from spacy.tokens import Doc

DOMAINS = ("corp", "equi", "wind")
# Chosen leave-one-domain-out among a handful of settings (mean F1 0.458-0.469); small
# trees and many of them keep the JSON file around 200 kB.
PARAMS = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15,
          "min_samples_leaf": 40, "l2_regularization": 1.0, "random_state": 0}  # fmt: skip


@dataclass
class LabelledCorpus:
    """A parsed domain and its gold term list."""

    name: str
    parsed: list[tuple[SourceDocument, Doc]]
    gold: set[str]


def parse_documents(documents: list[SourceDocument], nlp=None, config: MinerConfig = MinerConfig()):
    """(document, Doc) pairs; parsed by the mining pipeline unless ``nlp`` is given."""
    if nlp is None:
        from indexer.terms.spacy_pipeline import mining_pipeline

        nlp = mining_pipeline()
    texts = (document.text for document in documents)
    docs = nlp.pipe(texts, batch_size=config.batch_size, n_process=config.n_process)
    return list(zip(documents, docs, strict=True))


def load_acter_domain(root: Path, name: str, nlp=None) -> LabelledCorpus:
    """An ACTER domain folder: ``texts/*.txt`` and ``{name}_en_terms_nes.tsv``."""
    files = sorted((root / name / "texts").glob("*.txt"))
    documents = [SourceDocument(f.stem, f.read_text(encoding="utf-8")) for f in files]
    gold = load_gold(root / name / f"{name}_en_terms_nes.tsv")
    return LabelledCorpus(name, parse_documents(documents, nlp), gold)


def training_matrix(corpus: LabelledCorpus) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Features and labels (surface form in the gold list) for every candidate."""
    counts = count_corpus((d.doc_id, doc) for d, doc in corpus.parsed)
    view = corpus_view(counts, find_acronyms([d.text for d, _ in corpus.parsed]))
    surfaces = sorted(counts.surfaces)
    names = sorted(feature_columns(view))
    labels = np.asarray([surface in corpus.gold for surface in surfaces])
    return feature_matrix(view, surfaces, names), labels, names


def fit(corpora: list[LabelledCorpus]) -> BoostedModel:
    from sklearn.ensemble import HistGradientBoostingClassifier

    matrices = [training_matrix(corpus) for corpus in corpora]
    features = np.vstack([m[0] for m in matrices])
    labels = np.concatenate([m[1] for m in matrices])
    estimator = HistGradientBoostingClassifier(**PARAMS).fit(features, labels)
    metadata = {"trained_on": [c.name for c in corpora], "params": PARAMS,
                "gold": "ACTER 1.5 English, terms + named entities"}  # fmt: skip
    return from_sklearn(estimator, matrices[0][2], metadata)


def evaluate(corpus: LabelledCorpus, config: MinerConfig = MinerConfig()) -> TermScores:
    result = mine_parsed(corpus.parsed, config)
    return score_terms(result.ranked_strings(accepted_only=True), corpus.gold)


def leave_one_domain_out(corpora: list[LabelledCorpus]) -> dict[str, TermScores]:
    """Train on all domains but one, score the one left out; for every domain."""
    scores = {}
    for held_out in corpora:
        model = fit([c for c in corpora if c is not held_out])
        scores[held_out.name] = evaluate(held_out, MinerConfig(model=model))
    return scores


def main(argv: list[str]) -> None:
    root = Path(argv[0]) if argv else Path("../shared/data/acter")
    corpora = [load_acter_domain(root, name) for name in DOMAINS]
    fit(corpora).save(MODEL_PATH)
    print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main(sys.argv[1:])
