"""`/admin/reads`: the record of reads of restricted documents (kb/audit.py), for admins,
filtered by user, document and time, newest first, paged; with its JSON twin."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request

from kb.audit import AuditFilterError, ReadFilters, ReadPage
from web.rendering import Page, page_route
from web.routers.admin_access import ADMINS_ONLY, AdminSession

router = APIRouter(tags=["pages"])
READS_PATH = "/admin/reads"


def read_filters(user: str, document: str, since: str, page: int, per_page: int) -> ReadFilters:
    try:
        return ReadFilters(user.strip(), document.strip(), since.strip(), page, per_page)
    except AuditFilterError as exc:
        raise HTTPException(400, str(exc)) from None


def page_link(filters: ReadFilters, page: int) -> str:
    query = {"user": filters.user, "document": filters.document, "since": filters.since}
    query = {key: value for key, value in query.items() if value}
    return f"{READS_PATH}?{urlencode({**query, 'page': page, 'per_page': filters.per_page})}"


def pager(listed: ReadPage) -> dict:
    filters = listed.filters
    return {
        "previous": page_link(filters, filters.page - 1) if filters.page > 1 else "",
        "next": page_link(filters, filters.page + 1) if filters.page < listed.pages else "",
    }


@page_route(router, READS_PATH, summary="Reads of restricted documents", responses=ADMINS_ONLY)
def list_reads(
    request: Request,
    session: AdminSession,
    user: str = "",
    document: str = "",
    since: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Who was shown which restricted document in full, when and through which route
    (page, json, api); `since` is a date or a UTC time; newest first."""
    filters = read_filters(user, document, since, page, per_page)
    listed = request.app.state.read_log.list(filters)
    return Page(
        "admin_reads.html", listed.to_dict(), lambda: {"listed": listed, "pager": pager(listed)}
    )
