"""Index files just published (kb/contributions) at once.

Minimal version: an incremental `kb index` run over the published files alone. A run only
forgets files under the paths it is given (indexer/discover.py `under_roots`), so the index's
other sources stay as they are; files it already holds unchanged are not read again. Another
run holding the index lock (a `kb index`, another publication) is waited for, up to a bound.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from indexer.pipeline import run_index
from kb.problems import IndexUnavailableError
from kb.settings import Settings

LOCK_WAIT_SECONDS = 30.0
LOCK_POLL_SECONDS = 0.2


def index_published(paths: list[Path], settings: Settings) -> None:
    """Index `paths` into settings.kb_dir; IndexUnavailableError if a file does not index
    or the index stays locked for LOCK_WAIT_SECONDS."""
    # No glossary mining here: on NASA a publication with mining on had not become searchable
    # after 4 minutes; without it p50 0.81 s. The copied database keeps the candidates it
    # had, and the next `kb index` mines the new documents with the rest.
    settings = replace(settings, glossary_mining=False, progress=False)
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            run = run_index(list(paths), settings)
            break
        except IndexUnavailableError:
            if time.monotonic() > deadline:
                raise
            time.sleep(LOCK_POLL_SECONDS)
    if run.errors:
        raise IndexUnavailableError(f"published files did not index: {run.errors[0]}")
