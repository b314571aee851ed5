"""Reading the glossary's forms and query strings into kb.glossary's dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import HTTPException
from starlette.datastructures import FormData

from kb.glossary import QUEUE_STATUSES, QueueFilters, TermFields
from kb.glossary.fields import split_list

REVIEW_PATH = "/glossary/review"
PER_PAGE_CHOICES = (10, 20, 50, 100)
NOTICES = {
    "accept": "Accepted “{term}” into the glossary.",
    "reject": "Rejected “{term}”.",
    "defer": "Deferred “{term}”.",
    "merge": "Merged “{term}” into “{into}”.",
    "unmerge": "“{term}” is no longer merged into “{into}”.",
    "bulk-accept": "Accepted {n} candidate(s).",
    "bulk-reject": "Rejected {n} candidate(s).",
}
SKIPPED = " Skipped {skipped}: someone else decided on them meanwhile or they could not be used."


def text(form: FormData | Mapping, name: str, limit: int = 20_000) -> str:
    value = form.get(name)
    if value is not None and not isinstance(value, str):
        raise HTTPException(400, f"{name}: expected text, got a file")
    return (value or "")[:limit]


def integer(value: str, name: str, default: int = 0) -> int:
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise HTTPException(400, f"{name}: expected a whole number, got {value!r}") from None


def term_fields(form: FormData) -> TermFields:
    """The term fields of an accept or edit form (lists one per line or joined by '|')."""
    return TermFields(
        label=text(form, "label"),
        definition=text(form, "definition"),
        acronym=text(form, "acronym"),
        synonyms=split_list(text(form, "synonyms")),
        related=split_list(text(form, "related")),
        owner=text(form, "owner"),
        status=text(form, "status") or "draft",
    )


def queue_filters(params: Mapping) -> QueueFilters:
    status = params.get("status") or "pending"
    return QueueFilters(
        department=params.get("department") or "",
        status=status if status in QUEUE_STATUSES else "pending",
        # Above the cut-off unless asked otherwise: the form sends cutoff=0 when unticked.
        above_cutoff=(params.get("cutoff") or "1") in ("1", "on", "true"),
        page=max(1, integer(params.get("page") or "", "page", 1)),
        per_page=integer(params.get("per_page") or "", "per_page", 20),
        query=(params.get("q") or "")[:200],
    )


def queue_query(filters: QueueFilters, **changes) -> str:
    """The query string of the queue with `filters` (defaults left out), changed by `changes`."""
    values = {
        "department": filters.department,
        "status": filters.status,
        "cutoff": "" if filters.above_cutoff else "0",
        "q": filters.query,
        "per_page": filters.per_page if filters.per_page != 20 else "",
        "page": filters.page if filters.page > 1 else "",
    }
    values.update(changes)
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def back_url(form: FormData) -> str:
    """Where an action returns to: the queue page it came from (never another site)."""
    back = text(form, "back", 2000)
    return (
        back if urlsplit(back).path == REVIEW_PATH and back.startswith(REVIEW_PATH) else REVIEW_PATH
    )


def back_params(back: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(back).query))


def with_notice(back: str, **notice) -> str:
    params = {
        k: v
        for k, v in back_params(back).items()
        if k not in ("notice", "term", "into", "n", "skipped")
    }
    params.update({k: str(v) for k, v in notice.items()})
    return f"{REVIEW_PATH}?{urlencode(params)}"


def notice_text(params: Mapping) -> str:
    template = NOTICES.get(params.get("notice") or "")
    if template is None:
        return ""
    values = {name: params.get(name) or "" for name in ("term", "into", "n", "skipped")}
    message = template.format(**values)
    return message + (SKIPPED.format(**values) if values["skipped"] not in ("", "0") else "")


def bulk_versions(form: FormData) -> dict[str, int]:
    """{key: version} of the ticked candidates; each row carries its version as version:KEY."""
    keys = [key for key in form.getlist("key") if isinstance(key, str)]
    return {key: integer(text(form, f"version:{key}"), "version") for key in dict.fromkeys(keys)}
