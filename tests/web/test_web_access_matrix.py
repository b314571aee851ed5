"""The access matrix of issue #22: for every person (tests/access_corpus.py PEOPLE) and every
surface of the site, each document's marker appears exactly where that person may read the
document and nowhere else; counts, totals and 404s tell nothing of the others.

A surface is one line of SURFACES: how to read it as a visitor, and which markers it must
show (by default, those of every document the person may read, by the corpus's own rule).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from kb.cli import app as cli
from tests.access_corpus import (
    DEPARTMENTS,
    DOCS,
    PEOPLE,
    QUERY,
    Doc,
    Person,
    facet_counts,
    markers,
    readable,
    unreadable,
)
from tests.web.access_matrix_support import (
    MAX_K,
    Visitor,
    access_app,
    access_settings,
    visitor,
)

BRIEF = "# Plant restart\n\nThe valve gasket cracked in the cold last winter. Warm the gaskets."
SECTION_SELECT = re.compile(r'<select id="section".*?</select>', re.S)
RELATED_K = 5  # the document page's box
OTHER_DEPARTMENTS_K = 3  # the search page's box


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return access_settings(tmp_path_factory.mktemp("access-matrix"))


@pytest.fixture(scope="module")
def visitors(settings) -> dict[str, Visitor]:
    app = access_app(settings)
    yield {person.key: visitor(app, settings, person) for person in PEOPLE}
    app.state.glossary.state.dispose()


def readable_markers(person: Person) -> set[str]:
    return {doc.marker for doc in readable(person)}


def nothing(person: Person) -> set[str]:
    return set()


def joined(responses) -> str:
    texts = []
    for response in responses:
        assert response.status_code == 200, response.text
        texts.append(response.text)
    return "\n".join(texts)


def search_page(v: Visitor, **params) -> str:
    """The search page's HTML without the form's section choices (a surface of their own)."""
    return SECTION_SELECT.sub("", joined([v.page("/", **params)]))


def section_choices(v: Visitor) -> str:
    return "\n".join(SECTION_SELECT.findall(joined([v.page("/")])))


def kickoff_page(v: Visitor) -> str:
    v.page("/kickoff")
    data = {"csrf_token": v.client.cookies["lessonbase_kickoff"], "brief": BRIEF, "k": "30"}
    return joined([v.client.post("/kickoff", data=data)])


@dataclass(frozen=True)
class Surface:
    name: str
    read: Callable[[Visitor], str]
    expected: Callable[[Person], set[str]] = readable_markers
    marks: tuple = ()


def api_search(mode: str) -> Callable[[Visitor], str]:
    return lambda v: joined([v.api("/api/search", q=QUERY, k=MAX_K, mode=mode)])


SURFACES = [
    Surface("api-search-keyword", api_search("keyword")),
    Surface("api-search-semantic", api_search("semantic")),
    Surface("api-search-hybrid", api_search("hybrid")),
    Surface("search-page-html", lambda v: search_page(v, q=QUERY, k=MAX_K)),
    Surface("search-page-json", lambda v: joined([v.page("/", q=QUERY, k=MAX_K, format="json")])),
    Surface("search-page-empty", search_page, nothing),
    Surface("search-form-sections", section_choices),
    Surface(
        "browse-departments",
        lambda v: "\n".join(search_page(v, department=name, k=MAX_K) for name in DEPARTMENTS),
    ),
    Surface(
        "browse-tags-json",
        lambda v: joined(v.page("/", tag=d.marker, format="json") for d in readable(v.person)),
    ),
    Surface(
        "browse-types-api",
        lambda v: joined(
            v.api("/api/search", type=t, k=MAX_K) for t in ("lesson", "retrospective")
        ),
    ),
    Surface(
        "document-pages",
        lambda v: joined(v.page(f"/documents/{d.id}") for d in readable(v.person)),
    ),
    Surface(
        "api-documents",
        lambda v: joined(v.api(f"/api/documents/{d.id}") for d in readable(v.person)),
    ),
    Surface(
        "api-related",
        lambda v: joined(
            v.api(f"/api/documents/{d.id}/related", k=MAX_K, include_same_department="true")
            for d in readable(v.person)
        ),
        lambda person: readable_markers(person) if len(readable(person)) > 1 else set(),
    ),
    Surface(
        "kickoff-api", lambda v: joined([v.post_api("/api/kickoff", {"brief": BRIEF, "k": 30})])
    ),
    Surface("kickoff-page", kickoff_page),
    Surface("api-info", lambda v: joined([v.api("/api/info")]), nothing),
]


def matrix_cases() -> list:
    return [
        pytest.param(
            surface,
            person,
            id=f"{surface.name}-{person.key}",
            marks=() if person.role == "admin" else surface.marks,
        )
        for surface in SURFACES
        for person in PEOPLE
    ]


@pytest.mark.parametrize(("surface", "person"), matrix_cases())
def test_web_access_matrix_markers_appear_exactly_where_readable(visitors, surface, person):
    shown = markers(surface.read(visitors[person.key]))
    expected = surface.expected(person)
    assert shown == expected, (
        f"leaked {sorted(shown - expected)}, missing {sorted(expected - shown)}"
    )


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p.key)
@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_web_access_matrix_each_hit_and_snippet_shows_only_its_own_marker(visitors, person, mode):
    response = visitors[person.key].api("/api/search", q=QUERY, k=MAX_K, mode=mode)
    hits = response.json()
    assert sorted(hit["id"] for hit in hits) == sorted(readable_markers(person))
    for hit in hits:
        assert hit["id"] in hit["snippet"]
        assert markers(str(hit)) == {hit["id"]}
    assert response.headers["X-Total-Count"] == str(len(readable(person)))


def counted(facets: dict) -> dict[str, dict[str, int]]:
    return {
        name: {value["value"]: value["count"] for value in values if value["count"]}
        for name, values in facets.items()
    }


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p.key)
def test_web_access_matrix_totals_and_every_facet_count_only_readable(visitors, person):
    data = visitors[person.key].page("/", q=QUERY, k=MAX_K, format="json").json()
    assert data["total"] == len(readable(person))
    assert counted(data["facets"]) == facet_counts(readable(person))


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p.key)
@pytest.mark.parametrize("department", DEPARTMENTS)
def test_web_access_matrix_browsing_a_department_lists_and_counts_only_readable(
    visitors, person, department
):
    mine = [doc for doc in readable(person) if doc.department == department]
    data = visitors[person.key].page("/", department=department, format="json").json()
    assert sorted(hit["id"] for hit in data["hits"]) == sorted(doc.id for doc in mine)
    assert data["total"] == len(mine)
    every = facet_counts(readable(person))["department"]  # the others, to switch to
    assert counted(data["facets"])["department"] == every


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p.key)
def test_web_access_matrix_index_info_counts_only_readable(visitors, person):
    info = visitors[person.key].api("/api/info").json()
    assert info["counts"]["documents"] == len(readable(person))
    assert info["departments"] == facet_counts(readable(person))["department"]


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p.key)
def test_web_access_matrix_other_departments_box_holds_only_readable(visitors, person):
    data = visitors[person.key].page("/", q=QUERY, k=1, format="json").json()
    [hit] = data["hits"]
    elsewhere = {d.id for d in readable(person) if d.department != hit["department"]}
    boxed = [other["id"] for other in data["other_departments"]]
    assert set(boxed) <= elsewhere
    assert len(boxed) == min(OTHER_DEPARTMENTS_K, len(elsewhere))
    assert markers(str(data["hits"] + data["other_departments"])) == {hit["id"], *boxed}
    assert markers(str(data)) == readable_markers(person)  # the tag facet counts them all


def related_on_page(v: Visitor, doc: Doc, same: bool) -> tuple[list[str], set[str], set[str]]:
    """(ids in the page's related box, ids in its "learned before/since" lists, markers on
    the HTML page)."""
    params = {"same_department": "1"} if same else {}
    data = v.page(f"/documents/{doc.id}", format="json", **params).json()
    html = v.page(f"/documents/{doc.id}", **params).text
    recurring = {
        lesson["id"] for key in ("learned_before", "learned_since") for lesson in data[key]
    }
    return [lesson["id"] for lesson in data["related"]], recurring, markers(html)


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p.key)
@pytest.mark.parametrize("same", [False, True], ids=["other-departments", "same-too"])
def test_web_access_matrix_document_page_related_box_holds_only_readable(visitors, person, same):
    v = visitors[person.key]
    for doc in readable(person):
        related, recurring, shown = related_on_page(v, doc, same)
        others = [
            d for d in readable(person) if d != doc and (same or d.department != doc.department)
        ]
        assert set(related) <= {d.id for d in others}, doc.id
        assert len(related) == min(RELATED_K, len(others)), doc.id
        assert recurring <= {d.id for d in readable(person)} - {doc.id}, doc.id
        assert shown == {doc.id, *related, *recurring}, doc.id


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p.key)
def test_web_access_matrix_api_related_lists_every_readable_and_nothing_else(visitors, person):
    v = visitors[person.key]
    for doc in readable(person):
        params = {"k": MAX_K, "include_same_department": "true"}
        related = v.api(f"/api/documents/{doc.id}/related", **params).json()
        assert sorted(r["id"] for r in related) == sorted(
            d.id for d in readable(person) if d != doc
        )


DOCUMENT_ROUTES = ["/documents/{}", "/documents/{}?format=json", "/api/documents/{}",
                   "/api/documents/{}/related"]  # fmt: skip


@pytest.mark.parametrize("person", [p for p in PEOPLE if unreadable(p)], ids=lambda p: p.key)
@pytest.mark.parametrize("route", DOCUMENT_ROUTES)
def test_web_access_matrix_unreadable_document_answers_exactly_as_a_missing_one(
    visitors, person, route
):
    v = visitors[person.key]
    get = v.api if route.startswith("/api/") else v.page
    missing = get(route.format("zqnosuch"))
    assert missing.status_code == 404
    for doc in unreadable(person):
        refused = get(route.format(doc.id))
        assert refused.status_code == 404, doc.id
        assert refused.headers["content-type"] == missing.headers["content-type"]
        assert refused.text.replace(doc.id, "ID") == missing.text.replace("zqnosuch", "ID")


def test_web_access_matrix_cli_reads_everything(settings):
    args = ["search", QUERY, "--kb", str(settings.kb_dir), "--k", str(MAX_K), "--json"]
    result = CliRunner().invoke(cli, args, env={"KB_EMBEDDER": "fake"})
    assert result.exit_code == 0, result.output
    assert markers(result.stdout) == {doc.marker for doc in DOCS}
