"""Batch jobs that write what kb/ reads: discover, parse, chunk, embed, write the index."""

__all__ = ["IndexJob", "IndexRun", "run_index"]


def __getattr__(name: str):
    # Lazy: the glossary-mining process imports one module of this package
    # (`indexer.terms.background`), and must not import the pipeline, its embedder and torch.
    if name in __all__:
        from indexer import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'indexer' has no attribute {name!r}")
