"""What a person asked the search for, cleaned: the same for the page, its JSON twin and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Depends

from kb.access import Viewer
from kb.documents.lifecycle import STATUSES, normalize_status
from kb.documents.schema import SECTION_SPECS
from kb.search import Filters, SearchRequest
from kb.settings import Settings
from web import params as p
from web.deps import SettingsDep

_YEAR = re.compile(r"^\d{4}$")

# Filters the form offers one text box for; further values ride along as hidden inputs.
TEXT_BOX_FIELDS = ("projects", "tags")


@dataclass(frozen=True)
class SearchForm:
    """Every search parameter; `k` and `mode` stay None until `complete` fills in defaults."""

    q: str = ""
    k: int | None = None
    mode: str | None = None
    sort: str = "relevance"
    departments: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    closest_sentences: bool = False  # see kb's SearchRequest; the page asks for them by default
    date_from: str = ""
    date_to: str = ""
    include_archived: bool = False
    page: int = 1

    @property
    def has_query(self) -> bool:
        return bool(self.q.strip())

    @property
    def browsing(self) -> bool:
        """No query but a filter: the documents that pass it, newest first."""
        return not self.has_query and self.filters().chosen

    def filters(self, **changes) -> Filters:
        """kb's Filters; raises SearchParameterError for a bad date."""
        values = {name: getattr(self, name) for name in p.FILTER_FIELDS}
        values.update(
            date_from=self.date_from, date_to=self.date_to, hide_archived=not self.include_archived
        )
        return Filters(**{**values, **changes})

    def to_request(self, viewer: Viewer, with_facets: bool = False) -> SearchRequest:
        return SearchRequest(
            self.q,
            self.k,
            mode=self.mode,
            filters=self.filters(),
            sort=self.sort,
            with_facets=with_facets,
            closest_sentences=self.closest_sentences,
            page=self.page,
            matches_only=True,
            viewer=viewer,
        )

    def extra_values(self) -> list[tuple[str, str]]:
        """Chosen values the form shows no control for (a text box holds only the first)."""
        extra = [("year", year) for year in self.years]
        for name in TEXT_BOX_FIELDS:
            extra += [(p.FILTER_FIELDS[name], value) for value in getattr(self, name)[1:]]
        return extra


def unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def check_sections(sections: tuple[str, ...]) -> tuple[str, ...]:
    for key in sections:
        if key not in SECTION_SPECS:
            known = ", ".join(SECTION_SPECS)
            raise p.invalid_parameter("section", f"unknown section {key!r}; known: {known}", key)
    return sections


def check_statuses(statuses: tuple[str, ...]) -> tuple[str, ...]:
    """Each status as its lifecycle state (`Lesson learned` is `lesson-learned`)."""
    states = tuple(normalize_status(value) for value in statuses)
    for value, state in zip(statuses, states, strict=True):
        if state is None:
            known = ", ".join(STATUSES)
            raise p.invalid_parameter("status", f"unknown status {value!r}; known: {known}", value)
    return tuple(dict.fromkeys(states))


def check_years(years: tuple[str, ...]) -> tuple[str, ...]:
    for year in years:
        if not _YEAR.match(year):
            raise p.invalid_parameter("year", f"expected YYYY, got {year!r}", year)
    return years


def read_form(
    k: p.ResultCount = None,
    mode: p.ModeParam = None,
    sort: p.SortParam = "relevance",
    department: p.DepartmentFilter = [],  # noqa: B006 - FastAPI copies defaults per request
    doc_type: p.TypeFilter = [],  # noqa: B006
    project: p.ProjectFilter = [],  # noqa: B006
    tag: p.TagFilter = [],  # noqa: B006
    status: p.StatusFilter = [],  # noqa: B006
    section: p.SectionFilter = [],  # noqa: B006
    year: p.YearFilter = [],  # noqa: B006
    date_from: p.DateFrom = "",
    date_to: p.DateTo = "",
    include_archived: p.IncludeArchived = False,
    page: p.PageNumber = 1,
) -> SearchForm:
    """Every search parameter but `q`, as given: the dependency both search routes share."""
    given = (department, doc_type, project, tag, status, section, year)
    cleaned = {name: unique(values) for name, values in zip(p.FILTER_FIELDS, given, strict=True)}
    check_sections(cleaned["sections"])
    check_years(cleaned["years"])
    cleaned["statuses"] = check_statuses(cleaned["statuses"])
    dates = {"date_from": date_from.strip(), "date_to": date_to.strip()}
    return SearchForm(
        "", k, mode, sort, **cleaned, **dates, include_archived=include_archived, page=page
    )


def complete(form: SearchForm, settings: Settings, cap: bool) -> SearchForm:
    """Defaults filled in from the settings, k checked, the filters checked."""
    k = p.resolve_k(form.k, settings.search_k, settings, cap)
    done = replace(form, k=k, mode=form.mode or settings.search_mode)
    done.filters()  # a bad date is reported even when there is nothing to search for yet
    return done


BaseForm = Annotated[SearchForm, Depends(read_form)]


def page_form(
    form: BaseForm,
    settings: SettingsDep,
    q: p.QueryText = "",
    closest_sentences: p.ClosestSentences = True,
) -> SearchForm:
    """The page: an empty query shows the intro; a k above max_k is capped; closest sentences
    unless `closest_sentences=false`."""
    return complete(replace(form, q=q, closest_sentences=closest_sentences), settings, cap=True)


def api_form(
    form: BaseForm,
    settings: SettingsDep,
    q: p.QueryText = "",
    closest_sentences: p.ClosestSentences = False,
) -> SearchForm:
    """The API: a query, or a filter to list by; a k above max_k is refused."""
    return complete(replace(form, q=q, closest_sentences=closest_sentences), settings, cap=False)


PageForm = Annotated[SearchForm, Depends(page_form)]
ApiForm = Annotated[SearchForm, Depends(api_form)]
