"""The Jinja environment: autoescaping templates from web/templates, with the filters and
helpers of web/template_filters.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates

from kb.problems import IndexUnavailableError
from web import template_filters
from web.glossary_marks import mark_terms
from web.security import current_session

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def index_summary(request: Request) -> dict:
    """What the footer says about the index; nothing if the index cannot be read right now."""
    kb = request.app.state.kb
    try:
        manifest = kb.manifest
    except IndexUnavailableError:
        return {"index_summary": None}
    summary = {
        "model": manifest.model,
        "documents": manifest.counts.get("documents", 0),
        "generation": manifest.generation,
    }
    return {"index_summary": summary}


def auth_state(request: Request) -> dict:
    """Who is signed in, for the header; nobody if the glossary database cannot be read."""
    try:
        session = current_session(request)
    except (sqlite3.Error, AttributeError):
        session = None
    return {
        "signed_in": session.user if session else None,
        "csrf_token": session.csrf_token if session else "",
    }


def build_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        markdown=template_filters.render_markdown,
        highlight=template_filters.highlight,
        display_value=template_filters.display_value,
        type_label=template_filters.type_label,
        status_label=template_filters.status_label,
        match_label=template_filters.match_label,
        mode_label=template_filters.mode_label,
        when=template_filters.when,
        mark_terms=mark_terms,
    )
    env.globals.update(
        browse_path=template_filters.browse_path,
        document_path=template_filters.document_path,
        is_web_link=template_filters.is_web_link,
        term_path=template_filters.term_path,
    )
    return Jinja2Templates(env=env, context_processors=[index_summary, auth_state])
