"""Datasette-style facets and filter chips: each value is a plain link that toggles one filter.

The links are built here from the current query parameters, never by string hacking in
templates: adding a value appends `name=value`, removing it drops exactly that pair.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from kb.documents.schema import SECTION_SPECS
from kb.search.request import FacetValue
from web.template_filters import status_label, type_label

QueryItems = list[tuple[str, str]]

# Parameters that never carry over into a link: the page's JSON switch, and the page number
# (a narrower or wider list starts again at its first page).
DROPPED = frozenset({"format", "page"})

# kb facet name -> (query parameter, heading), in the order the sidebar shows them.
FACETS = {
    "department": ("department", "Department"),
    "type": ("type", "Type"),
    "status": ("status", "Status"),
    "year": ("year", "Year"),
    "tags": ("tag", "Tags"),
}

FILTER_LABELS = {
    "department": "Department",
    "type": "Type",
    "project": "Project",
    "tag": "Tag",
    "status": "Status",
    "section": "Only in",
    "year": "Year",
    "date_from": "From",
    "date_to": "To",
}


def clean_items(items: QueryItems) -> QueryItems:
    """The query parameters worth keeping in a link: no empty values, no `format`."""
    kept = [(name, value) for name, value in items if value != "" and name not in DROPPED]
    return list(dict.fromkeys(kept))


def toggle_url(items: QueryItems, name: str, value: str, path: str = "/") -> str:
    """The URL of `path` with `name=value` added, or removed when it is already there."""
    kept = clean_items(items)
    if (name, value) in kept:
        kept = [item for item in kept if item != (name, value)]
    else:
        kept.append((name, value))
    return f"{path}?{urlencode(kept)}" if kept else path


def display_label(name: str, value: str) -> str:
    """How a filter value reads on the page: type and section keys become their labels."""
    if name == "type":
        return type_label(value)
    if name == "status":
        return status_label(value)
    if name == "section":
        spec = SECTION_SPECS.get(value)
        return spec.heading if spec else value
    return value


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    href: str


@dataclass(frozen=True)
class FacetGroup:
    name: str
    parameter: str
    heading: str
    values: list[FacetLink]

    def to_dict(self) -> list[dict]:
        return [asdict(link) for link in self.values]


def facet_group(
    name: str, values: list[FacetValue], chosen: set[str], items: QueryItems
) -> FacetGroup:
    """One facet's links; a chosen value the counts left out still shows, so it can be removed."""
    parameter, heading = FACETS[name]
    missing = sorted(chosen - {counted.value for counted in values})
    listed = [*values, *(FacetValue(value, 0, True) for value in missing)]
    links = [
        FacetLink(
            value=v.value,
            label=display_label(parameter, v.value),
            count=v.count,
            selected=v.selected or v.value in chosen,
            href=toggle_url(items, parameter, v.value),
        )
        for v in listed
    ]
    return FacetGroup(name, parameter, heading, links)


def facet_groups(facets: dict[str, list[FacetValue]], items: QueryItems) -> list[FacetGroup]:
    """The sidebar's facets, in a fixed order, each chosen value marked from the URL itself."""
    groups = []
    for name, (parameter, _) in FACETS.items():
        chosen = {value for key, value in clean_items(items) if key == parameter}
        group = facet_group(name, facets.get(name, []), chosen, items)
        if group.values:
            groups.append(group)
    return groups


@dataclass(frozen=True)
class ActiveFilter:
    name: str
    value: str
    label: str
    remove_href: str


def active_filters(items: QueryItems) -> list[ActiveFilter]:
    """Every filter in the URL, with the link that removes just that one."""
    return [
        ActiveFilter(
            name=name,
            value=value,
            label=f"{FILTER_LABELS[name]}: {display_label(name, value)}",
            remove_href=toggle_url(items, name, value),
        )
        for name, value in clean_items(items)
        if name in FILTER_LABELS
    ]


def clear_filters_url(items: QueryItems, path: str = "/") -> str:
    """The same search with every filter dropped (query, mode, sort and size stay)."""
    kept = [(n, v) for n, v in clean_items(items) if n not in FILTER_LABELS]
    return f"{path}?{urlencode(kept)}" if kept else path
