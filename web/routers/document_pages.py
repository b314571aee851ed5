"""One document: `GET /documents/{id}` (with a `?format=json` twin), `GET /api/documents/{id}`
and its related lessons, `GET /api/documents/{id}/related`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query

from kb.access import Viewer
from kb.actions import STATUSES, ActionBook, may_add, may_follow_up
from kb.documents.schema import Document
from kb.documents.view import DocumentView
from kb.knowledge_base import KnowledgeBase
from kb.related import RelatedLesson
from web.atom import department_feed_path
from web.deps import ActionsDep, GlossaryDep, KBDep, SettingsDep
from web.glossary_marks import approved_terms
from web.params import resolve_k
from web.read_audit import ReadRecorderDep
from web.rendering import Page, page_route
from web.routers.recurring_pages import learned_before
from web.security import OptionalSession, ViewerDep
from web.template_filters import (
    browse_path,
    display_value,
    document_path,
    field_label,
    is_web_link,
    status_label,
    type_label,
)
from web.usage import UsageDep

router = APIRouter()

NOT_FOUND = {404: {"description": "No document has this id."}}
SameDepartmentQuery = Annotated[
    bool, Query(description="`1` also lists related lessons from the document's own department.")
]
IncludeSameQuery = Annotated[
    bool, Query(description="Also list related documents from the document's own department.")
]
RelatedCount = Annotated[
    int | None, Query(description="How many related lessons to return (default 5).")
]
RELATED_K = 5


@dataclass
class RelatedSection:
    """The page's "Related lessons from other departments": the lessons and the toggle link."""

    doc_id: str
    department: str
    include_same_department: bool
    lessons: list[RelatedLesson] = field(default_factory=list)

    @property
    def heading(self) -> str:
        if self.include_same_department:
            return f"Related lessons, including {self.department}"
        return "Related lessons from other departments"

    @property
    def toggle_label(self) -> str:
        if self.include_same_department:
            return "Only other departments"
        return f"Include {self.department}"

    @property
    def toggle_href(self) -> str:
        """The same page with the own department switched in or out; back at #related."""
        path = document_path(self.doc_id)
        query = "" if self.include_same_department else "?same_department=1"
        return f"{path}{query}#related"

    def to_dict(self) -> dict:
        return {
            "related": [lesson.to_dict() for lesson in self.lessons],
            "related_include_same_department": self.include_same_department,
        }


@dataclass(frozen=True)
class MetadataRow:
    """One row of the metadata table: plain text, a link, or a list shown as tags (each a
    link when `item_hrefs` gives one per item)."""

    label: str
    text: str = ""
    href: str = ""
    items: tuple[str, ...] = field(default_factory=tuple)
    item_hrefs: tuple[str, ...] = field(default_factory=tuple)


def document_actions(book: ActionBook, doc_id: str, viewer: Viewer, user) -> list[dict]:
    """The document's action items with their current status and who may change each."""
    today = book.today()
    items = [
        {**item.to_dict(today), "may_change": may_follow_up(user, item)}
        for item in book.for_document(doc_id, viewer)
    ]
    return book.kb.redact_actions(items, viewer)


def find_document(kb: KnowledgeBase, doc_id: str, viewer: Viewer) -> DocumentView:
    """The document if `viewer` may read it; a 404 alike for a missing and a refused one."""
    view = kb.document(doc_id, viewer)
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
    """The document's fields, in reading order, leaving out the empty ones; type, department,
    project and tags link to the list of every document that shares them."""
    fields = [
        ("Type", type_label(doc.type), "type", doc.type),
        ("Department", doc.department, "department", doc.department),
        ("Date", doc.date.isoformat(), "", ""),
        ("Project", doc.project, "project", doc.project),
        ("Phase", doc.phase, "", ""),
        ("Status", status_label(doc.status), "status", doc.status),
        ("Sensitivity", doc.sensitivity, "", ""),
    ]
    rows = [
        MetadataRow(label, text, browse_path(name, value) if name else "")
        for label, text, name, value in fields
        if text
    ]
    rows += people_rows(doc)
    if doc.tags:
        hrefs = tuple(browse_path("tag", tag) for tag in doc.tags)
        rows.append(MetadataRow("Tags", items=tuple(doc.tags), item_hrefs=hrefs))
    rows += link_row(doc.url)
    for name, value in doc.extra.items():
        if display_value(value):
            rows.append(MetadataRow(field_label(str(name)), display_value(value)))
    return rows


def names_note(view: DocumentView) -> str:
    """What the page says when it shows roles instead of names (kb.redaction)."""
    if not view.names_hidden:
        return ""
    note = (
        f"Names are hidden: outside the {view.document.department} department, people "
        "appear by their role (the author, a participant, the action owner, a team member)."
    )
    if not view.text_names_read:
        note += " Names written in the text may still show until `kb index` runs again."
    return note


def related_section(
    kb: KnowledgeBase, doc: Document, include_same: bool, viewer: Viewer
) -> RelatedSection:
    lessons = kb.related(doc.id, RELATED_K, include_same, viewer) or []
    return RelatedSection(doc.id, doc.department, include_same, lessons)


@page_route(
    router, "/documents/{doc_id:path}", tags=["pages"], summary="Document page", responses=NOT_FOUND
)
def document_page(
    doc_id: str,
    kb: KBDep,
    glossary: GlossaryDep,
    viewer: ViewerDep,
    recorder: ReadRecorderDep,
    book: ActionsDep,
    session: OptionalSession,
    usage: UsageDep,
    same_department: SameDepartmentQuery = False,
) -> Page:
    """A document's metadata, sections, action items and related lessons."""
    view = find_document(kb, doc_id, viewer)
    recorder.shown(view.document)
    usage.opened(view.document)
    related = related_section(kb, view.document, same_department, viewer)
    user = session.user if session else None
    actions = document_actions(book, doc_id, viewer, user)
    view.actions = actions
    recurrence = learned_before(kb, doc_id, viewer)

    def context() -> dict:
        return {
            "doc": view.document,
            "actions": actions,
            "action_statuses": STATUSES,
            "action_next": f"/documents/{quote(doc_id, safe='/')}",
            "may_add_action": may_add(user, view.document.department),
            "csrf_token": session.csrf_token if session else "",
            "metadata": metadata_rows(view.document),
            "related": related,
            "glossary_marks": approved_terms(glossary),
            "department_feed": department_feed_path(view.document.department),
            "learned_before": recurrence,
            "names_note": names_note(view),
        }

    data = {**view.to_dict(), **related.to_dict(), **recurrence.to_dict()}
    return Page("document.html", data, context)


@router.get(
    "/api/documents/{doc_id:path}/related",
    tags=["api"],
    summary="Related lessons",
    responses=NOT_FOUND,
    response_model=list[RelatedLesson],
)
def api_related(
    doc_id: str,
    kb: KBDep,
    settings: SettingsDep,
    viewer: ViewerDep,
    k: RelatedCount = None,
    include_same_department: IncludeSameQuery = False,
) -> list[dict]:
    """Documents that speak to this one, other departments first, each with its reason."""
    k = resolve_k(k, RELATED_K, settings, cap=False)
    lessons = kb.related(doc_id, k, include_same_department, viewer)
    if lessons is None:
        raise HTTPException(status_code=404, detail=f"No document with id {doc_id!r}.")
    return [lesson.to_dict() for lesson in lessons]


@router.get(
    "/api/documents/{doc_id:path}", tags=["api"], summary="Get a document", responses=NOT_FOUND
)
def api_document(
    doc_id: str,
    kb: KBDep,
    viewer: ViewerDep,
    recorder: ReadRecorderDep,
    book: ActionsDep,
    session: OptionalSession,
    usage: UsageDep,
) -> dict:
    """Every field, section and action item (with its current status) of one document."""
    view = find_document(kb, doc_id, viewer)
    recorder.shown(view.document)
    usage.opened(view.document)
    view.actions = document_actions(book, doc_id, viewer, session.user if session else None)
    return view.to_dict()
