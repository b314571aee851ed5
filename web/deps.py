"""FastAPI dependencies: the objects `create_app` stores on `app.state`, as typed aliases."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from fastapi.templating import Jinja2Templates

from kb.actions import ActionBook
from kb.documents.schema import DOC_TYPES
from kb.glossary import Glossary
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings

# The document types a filter may name, taken from the schema so a new type appears here too.
DocTypeName = Literal[tuple(DOC_TYPES)]  # type: ignore[valid-type]
ResponseFormat = Literal["html", "json"]


def get_kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_glossary(request: Request) -> Glossary:
    return request.app.state.glossary


def get_action_book(request: Request) -> ActionBook:
    """One per app, on the glossary's state database (as saved packs are)."""
    state = request.app.state
    if getattr(state, "action_book", None) is None:
        state.action_book = ActionBook(state.kb, state.glossary.state, state.glossary.clock)
    return state.action_book


def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


KBDep = Annotated[KnowledgeBase, Depends(get_kb)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
GlossaryDep = Annotated[Glossary, Depends(get_glossary)]
ActionsDep = Annotated[ActionBook, Depends(get_action_book)]
FormatQuery = Annotated[
    ResponseFormat,
    Query(alias="format", description="`json` returns the page's data instead of HTML."),
]


def check_format(
    response_format: Annotated[
        ResponseFormat, Query(alias="format", include_in_schema=False)
    ] = "html",
) -> None:
    """On every route, `format=xml` is a 422 as on the pages with a JSON twin, not ignored."""
