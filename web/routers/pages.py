"""The formats guide, index information and the health check."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kb.access import Viewer
from web.deps import KBDep, TemplatesDep
from web.security import LoginRequiredError, ViewerDep, current_viewer
from web.template_filters import render_markdown

router = APIRouter()

FORMATS_DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


def read_formats_guide() -> str:
    try:
        return FORMATS_DOC.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HTTPException(404, f"The formats guide is not installed ({FORMATS_DOC}).") from None


@router.get(
    "/formats", tags=["pages"], summary="Document formats guide", response_class=HTMLResponse
)
def formats_page(request: Request, templates: TemplatesDep) -> Response:
    """How to write lessons, retrospectives and meeting notes, and import other systems."""
    context = {"guide": render_markdown(read_formats_guide())}
    return templates.TemplateResponse(request, "formats.html", context)


@router.get("/api/info", tags=["api"], summary="Index information")
def api_info(kb: KBDep, viewer: ViewerDep) -> dict:
    """The index's model, generation, counts and departments (as `kb info`), the documents
    counted only as far as the caller may read them."""
    return kb.stats(viewer)


@router.get("/healthz", tags=["api"], summary="Health check")
def healthz(request: Request, kb: KBDep) -> dict:
    """`ok` and the number of indexed documents the caller may read (read from the
    database: 0 for an anonymous probe when KB_ANONYMOUS_ACCESS is off); 503 without an
    index. Open to every caller, so that load balancers can probe it."""
    try:
        viewer = current_viewer(request)
    except LoginRequiredError:  # a probe reads nothing then, but the index is still read,
        viewer = None  # so that a broken one still answers 503
    counts = kb.departments(viewer or Viewer.anonymous())
    return {"status": "ok", "documents": sum(n for _, n in counts) if viewer else 0}
