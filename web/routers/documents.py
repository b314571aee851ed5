"""One document: `GET /documents/{id}` (with a `?format=json` twin) and `GET /api/documents/{id}`."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kb.knowledge_base import DocumentView, KnowledgeBase
from kb.schema import Document
from web.deps import FormatQuery, KBDep, TemplatesDep
from web.filters import display_value, field_label, is_web_link, type_label

router = APIRouter()

NOT_FOUND = {404: {"description": "No document has this id."}}


@dataclass(frozen=True)
class MetadataRow:
    """One row of the metadata table: plain text, a link, or a list shown as tags."""

    label: str
    text: str = ""
    href: str = ""
    items: tuple[str, ...] = field(default_factory=tuple)


def find_document(kb: KnowledgeBase, doc_id: str) -> DocumentView:
    view = kb.document(doc_id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"No document with id {doc_id!r}.")
    return view


def people_rows(doc: Document) -> list[MetadataRow]:
    rows = []
    if doc.authors:
        rows.append(MetadataRow("Authors", ", ".join(doc.authors)))
    if doc.participants:
        rows.append(MetadataRow("Participants", ", ".join(doc.participants)))
    return rows


def link_row(url: str) -> list[MetadataRow]:
    if not url:
        return []
    return [MetadataRow("Link", url, href=url if is_web_link(url) else "")]


def metadata_rows(doc: Document) -> list[MetadataRow]:
    """The document's fields, in reading order, leaving out the empty ones."""
    scalars = [
        ("Type", type_label(doc.type)),
        ("Department", doc.department),
        ("Date", doc.date.isoformat()),
        ("Project", doc.project),
        ("Phase", doc.phase),
        ("Status", doc.status),
        ("Sensitivity", doc.sensitivity),
    ]
    rows = [MetadataRow(label, value) for label, value in scalars if value]
    rows += people_rows(doc)
    if doc.tags:
        rows.append(MetadataRow("Tags", items=tuple(doc.tags)))
    rows += link_row(doc.url)
    for name, value in doc.extra.items():
        if display_value(value):
            rows.append(MetadataRow(field_label(str(name)), display_value(value)))
    return rows


@router.get(
    "/documents/{doc_id:path}",
    tags=["pages"],
    summary="Document page",
    response_class=HTMLResponse,
    responses={**NOT_FOUND, 200: {"content": {"application/json": {}}}},
)
def document_page(
    request: Request,
    doc_id: str,
    kb: KBDep,
    templates: TemplatesDep,
    response_format: FormatQuery = "html",
) -> Response:
    """A document's metadata, sections and action items."""
    view = find_document(kb, doc_id)
    if response_format == "json":
        return JSONResponse(view.to_dict())
    context = {
        "doc": view.document,
        "actions": view.actions,
        "metadata": metadata_rows(view.document),
    }
    return templates.TemplateResponse(request, "document.html", context)


@router.get(
    "/api/documents/{doc_id:path}", tags=["api"], summary="Get a document", responses=NOT_FOUND
)
def api_document(doc_id: str, kb: KBDep) -> dict:
    """Every field, section and action item of one document."""
    return find_document(kb, doc_id).to_dict()
