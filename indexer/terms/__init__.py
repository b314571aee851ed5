"""Glossary-candidate mining: domain terms, their variants, acronyms and statistics.

Entry point: `mine_terms(documents)` with `SourceDocument(doc_id, text, metadata)`; see
`miner.py`. `evaluate.py` holds the TermEval 2020 scoring, `train.py` the model training.
"""

from indexer.terms.evaluate import TermScores, load_gold, score_terms
from indexer.terms.miner import MinerConfig, mine_counted, mine_parsed, mine_terms
from indexer.terms.models import Context, MiningResult, SourceDocument, TermCandidate

__all__ = [
    "Context",
    "MinerConfig",
    "MiningResult",
    "SourceDocument",
    "TermCandidate",
    "TermScores",
    "load_gold",
    "mine_counted",
    "mine_parsed",
    "mine_terms",
    "score_terms",
]
