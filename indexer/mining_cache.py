"""Where indexer/pipeline.py imports `clear_mining_cache` from until it imports `indexer.terms`
(issue #19: glossary mining is one package, `indexer/terms/`)."""

from indexer.terms.cache import clear_mining_cache

__all__ = ["clear_mining_cache"]
