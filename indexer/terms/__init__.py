"""Glossary-candidate mining: domain terms, their variants, acronyms and statistics.

The index run: `mine(rows, cache) -> CandidateTable` (`table`), run beside embedding in a
child process (`background`) by the run's glossary step (`step`). A folder of texts:
`mine_terms([SourceDocument(doc_id, text, metadata), ...])` (`miner`). `evaluate` holds the
TermEval 2020 scoring, `train` the model training.

How: spaCy parses each text (`spacy_pipeline`, `long_texts`); each document's pattern-
matched spans are counted (`patterns`, `doc_counts`) and kept in the mining cache (`cache`,
`incremental`); the counts are merged (`collect`, `corpus_counts`), grouped by lemma
(`view`, `cvalue`), scored by a boosted-tree model on their features (`feature_columns`,
`boosted`, `ranking`) and built into candidates (`candidates`), reusing stored rows whose
documents did not change (`reuse`).

Names are imported when first used: the index run imports this package before it knows
whether anything needs mining, and numpy and spaCy take a while to import.
"""

from importlib import import_module

_HOMES = {
    "mine": "table",
    "CandidateTable": "reuse",
    "GlossaryStep": "step",
    "BackgroundMining": "background",
    "clear_mining_cache": "cache",
    "mine_terms": "miner",
    "mine_counted": "miner",
    "mine_parsed": "miner",
    "MinerConfig": "config",
    "Context": "models",
    "MiningResult": "models",
    "SourceDocument": "models",
    "TermCandidate": "models",
    "TermScores": "evaluate",
    "load_gold": "evaluate",
    "score_terms": "evaluate",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(f"indexer.terms.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'indexer.terms' has no attribute {name!r}")
