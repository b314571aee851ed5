"""`kb serve` and `kb settings`: running the web app, and the settings it and every command read.

The web app (FastAPI, uvicorn) is imported inside `serve`, so that no other command loads it.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer

from kb.cli.common import KbDir, fail, load_settings
from kb.problems import IndexUnavailableError
from kb.settings import Settings


def serve(
    kb_dir: KbDir = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the search pages and the JSON API."""
    import uvicorn

    from indexer.publish import index_published
    from web.app import create_app

    settings = load_settings(kb_dir=kb_dir, host=host, port=port)
    from kb.glossary.errors import GlossaryError
    from kb.state import StateError

    try:
        publisher = partial(index_published, settings=settings)  # contributions, at once
        application = create_app(settings, publisher=publisher)
    except (IndexUnavailableError, GlossaryError, StateError) as exc:
        fail(str(exc))
    typer.echo(f"Serving {settings.kb_dir} on http://{settings.host}:{settings.port}")
    # create_app applies X-Forwarded-* from settings.trusted_proxies itself; not twice
    uvicorn.run(
        application,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        proxy_headers=False,
    )


def list_settings() -> None:
    """List every setting with its type, default and help."""
    for name, kind, default, help_text in Settings.describe():
        typer.echo(f"KB_{name.upper():<22} {kind:<5} default {default!s:<24} {help_text}")
