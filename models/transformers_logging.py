"""Keeping transformers' progress bars and notices out of Lessonbase's own output."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Run without transformers' progress bars and notices.

    Loading a model drew a "Loading weights" bar, and tracing one warned about a config
    field (`loss_type`) that an embedding model never uses: both interleaved with `kb`'s own
    output. Errors still show, and the caller's settings are restored afterwards.
    """
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
