"""Where indexer/pipeline.py imports `GlossaryStep` from until it imports `indexer.terms`
(issue #19: glossary mining is one package, `indexer/terms/`)."""

from indexer.terms.step import GlossaryStep

__all__ = ["GlossaryStep"]
