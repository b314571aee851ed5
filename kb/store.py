"""The old import path of `Store`, kept while the glossary-mining branch (issue #19) still
imports it: removed once both are merged. Use kb.index.store."""

from kb.index.store import Store

__all__ = ["Store"]
