"""Batch jobs that write what kb/ reads: discover, parse, chunk, embed, write the index."""

from indexer.pipeline import IndexRun, run_index

__all__ = ["IndexRun", "run_index"]
