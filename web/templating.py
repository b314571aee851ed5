"""The Jinja environment: autoescaping templates from web/templates, with the filters and
helpers of web/template_filters.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import jinja2
from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates

from kb.access import Viewer
from kb.problems import IndexUnavailableError
from web import template_filters
from web.glossary_marks import mark_terms
from web.security import LoginRequiredError, current_session, current_viewer

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def index_summary(request: Request) -> dict:
    """What the footer says about the index; nothing if the index cannot be read right now."""
    kb = request.app.state.kb
    try:
        manifest = kb.manifest
    except IndexUnavailableError:
        return {"index_summary": None}
    # The documents this person may read: a total counting the others would reveal them.
    viewer = _viewer(request)
    try:
        readable = sum(n for _, n in kb.departments(viewer)) if viewer is not None else None
    except sqlite3.Error:
        return {"index_summary": None}
    summary = {
        "model": manifest.model,
        "documents": readable,
        "generation": manifest.generation,
    }
    return {"index_summary": summary}


def _viewer(request: Request) -> Viewer | None:
    """Who reads; anonymous if the accounts database cannot be read or the request's token
    was refused (an error page is being drawn); reading nothing with KB_ANONYMOUS_ACCESS off
    (the sign-in page is drawn for them)."""
    try:
        return current_viewer(request)
    except (sqlite3.Error, AttributeError, HTTPException):
        return Viewer.anonymous()
    except LoginRequiredError:
        return None


def auth_state(request: Request) -> dict:
    """Who is signed in, for the header; nobody if the glossary database cannot be read or
    the request's token was refused (its error page is being drawn)."""
    try:
        session = current_session(request)
    except (sqlite3.Error, AttributeError, HTTPException):
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
