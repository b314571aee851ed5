"""Where indexer/pipeline.py imports `BackgroundMining` from until it imports `indexer.terms`
(issue #19: glossary mining is one package, `indexer/terms/`)."""

from indexer.terms.background import BackgroundMining

__all__ = ["BackgroundMining"]
