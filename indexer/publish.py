"""Index files just published (kb/contributions) at once.

Minimal version: an incremental `kb index` run over the published files alone. A run only
forgets files under the paths it is given (indexer/discover.py `under_roots`), so the index's
other sources stay as they are; files it already holds unchanged are not read again.
"""

from __future__ import annotations

from pathlib import Path

from indexer.pipeline import run_index
from kb.problems import IndexUnavailableError
from kb.settings import Settings


def index_published(paths: list[Path], settings: Settings) -> None:
    """Index `paths` into settings.kb_dir; IndexUnavailableError if a file does not index."""
    run = run_index(list(paths), settings)
    if run.errors:
        raise IndexUnavailableError(f"published files did not index: {run.errors[0]}")
