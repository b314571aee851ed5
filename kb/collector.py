"""Pausing Python's cycle collector around bulk work that allocates many containers.

Mining, and a viewer's contested terms, make tens of thousands to millions of containers,
next to none in a cycle, in processes holding millions more (the embedding model, spaCy,
the web app) that every full collection walks. Reference counting still frees what they
drop; the few cycles wait for the collector's return.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (left as it was found afterwards)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
