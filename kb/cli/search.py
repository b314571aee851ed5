"""`kb search`, `kb show`, `kb related`, `kb info`: reading an index from the shell."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kb.cli.common import AsUser, JsonOpt, KbDir, fail, load_settings, open_kb, viewer_as

Multi = list[str] | None


def search(
    query: Annotated[
        str,
        typer.Argument(
            help='What to look for, in your own words; "" with a filter lists the '
            "documents passing it, newest first."
        ),
    ],
    kb_dir: KbDir = None,
    k: Annotated[int, typer.Option("--k", help="How many documents per page.")] = 10,
    page: Annotated[int, typer.Option("--page", help="Which page of --k results, from 1.")] = 1,
    mode: Annotated[
        str | None, typer.Option(help="hybrid, keyword or semantic [setting search_mode].")
    ] = None,
    department: Annotated[Multi, typer.Option(help="Only this department (repeatable).")] = None,
    doc_type: Annotated[Multi, typer.Option("--type", help="Only this type (repeatable).")] = None,
    project: Annotated[Multi, typer.Option(help="Only this project (repeatable).")] = None,
    tag: Annotated[Multi, typer.Option(help="Only documents with this tag (repeatable).")] = None,
    status: Annotated[
        Multi,
        typer.Option(help="Only this lifecycle status, e.g. lesson-learned (repeatable)."),
    ] = None,
    include_archived: Annotated[
        bool, typer.Option(help="Also archived documents (hidden unless asked for).")
    ] = False,
    section: Annotated[
        Multi, typer.Option(help="Search only this section, e.g. recommendation (repeatable).")
    ] = None,
    since: Annotated[str, typer.Option(help="Only documents dated on or after YYYY-MM-DD.")] = "",
    until: Annotated[str, typer.Option(help="Only documents dated on or before YYYY-MM-DD.")] = "",
    sort: Annotated[str, typer.Option(help="relevance or date (newest first).")] = "relevance",
    facets: Annotated[bool, typer.Option(help="Also print facet counts.")] = False,
    as_json: JsonOpt = False,
    as_user: AsUser = None,
) -> None:
    """Search the index; one hit per document, from its best-matching section."""
    from kb.search import Filters, SearchParameterError, SearchRequest

    settings = load_settings(kb_dir=kb_dir)
    if k > settings.max_k:
        fail(f"--k: at most {settings.max_k} (the max_k setting), got {k}", 2)
    try:
        filters = Filters(
            departments=tuple(department or ()),
            types=tuple(doc_type or ()),
            projects=tuple(project or ()),
            tags=tuple(tag or ()),
            statuses=tuple(_statuses(status or ())),
            hide_archived=not include_archived,
            sections=tuple(_section_keys(section or ())),
            date_from=since,
            date_to=until,
        )
        request = SearchRequest(
            query,
            k,
            mode=mode or settings.search_mode,
            filters=filters,
            sort=sort,
            with_facets=facets,
            closest_sentences=True,  # a person reads these; the model is loaded anyway
            page=page,
            matches_only=True,
            viewer=viewer_as(settings, as_user),
        )
    except SearchParameterError as exc:
        option = {"date_from": "since", "date_to": "until", "q": "QUERY"}.get(
            exc.parameter, exc.parameter
        )
        message = exc.message.replace("date_from", "--since").replace("date_to", "--until")
        fail(f"{'' if option == 'QUERY' else '--'}{option}: {message}", 2)
    result = open_kb(settings).run_search(request)
    if as_json:
        payload = result.to_dict() if facets else [h.to_dict() for h in result.hits]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    _print_hits(result)


def _section_keys(names) -> list[str]:
    from kb.documents.schema import SECTION_SPECS, section_key_for_heading

    keys = []
    for name in names:
        key = name if name in SECTION_SPECS else section_key_for_heading(name)
        if key is None:
            fail(f"--section: unknown section {name!r}; known: {', '.join(SECTION_SPECS)}", 2)
        keys.append(key)
    return keys


def _statuses(names) -> list[str]:
    from kb.documents.lifecycle import STATUSES, normalize_status

    states = [normalize_status(name) for name in names]
    for name, state in zip(names, states, strict=True):
        if state is None:
            fail(f"--status: unknown status {name!r}; known: {', '.join(STATUSES)}", 2)
    return states


def _print_hits(result) -> None:
    typer.echo(_count_message(result))
    first = (result.page - 1) * result.k + 1
    for rank, hit in enumerate(result.hits, start=first):
        typer.secho(f"{rank:>2}. {hit.title}", bold=True)
        typer.echo(
            f"    {hit.department} · {hit.type} · {hit.date} · score {hit.score:.3f} · id {hit.id}"
        )
        typer.echo(f"    matched in: {hit.section} (by {' and '.join(hit.matched_by)})")
        typer.echo(f"    {hit.snippet}")
    for name, values in result.facets.items():
        counts = ", ".join(f"{v.value} ({v.count})" for v in values)
        typer.echo(f"{name}: {counts}")


def _count_message(result) -> str:
    """What was counted, and which page this is."""
    pages = f" (page {result.page} of {result.pages})" if result.pages > 1 else ""
    if result.browsing:
        return f"{result.total} documents pass the filters, newest first{pages}."
    if result.nearest_only:
        nearest = " The nearest documents, none of them a match:" if result.hits else ""
        return f"No document matches: none has {result.rule}.{nearest}"
    return f"{result.total} documents match: each has {result.rule}{pages}."


def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID")],
    kb_dir: KbDir = None,
    as_json: JsonOpt = False,
    as_user: AsUser = None,
) -> None:
    """Print one indexed document (with --as, only if that account may read it)."""
    settings = load_settings(kb_dir=kb_dir)
    view = open_kb(settings).document(doc_id, viewer_as(settings, as_user))
    if view is None:
        fail(f"no document with id {doc_id!r}")
    data = view.to_dict()
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    typer.secho(data["title"], bold=True)
    typer.echo(f"{data['type_label']} · {data['department']} · {data['date']}")
    for section in data["sections"]:
        typer.secho(f"\n## {section['heading']}", bold=True)
        typer.echo(section["text"])


def related(
    doc_id: Annotated[str, typer.Argument(metavar="ID")],
    kb_dir: KbDir = None,
    k: Annotated[int, typer.Option("--k", help="How many related documents.")] = 5,
    same_department: Annotated[
        bool, typer.Option(help="Also include documents from the document's own department.")
    ] = False,
    as_json: JsonOpt = False,
    as_user: AsUser = None,
) -> None:
    """Documents related to one document, from other departments unless asked otherwise."""
    if k < 1:
        fail(f"--k: must be at least 1, got {k}", 2)
    settings = load_settings(kb_dir=kb_dir)
    viewer = viewer_as(settings, as_user)
    found = open_kb(settings).related(doc_id, k, same_department, viewer)
    if found is None:
        fail(f"no document with id {doc_id!r}")
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in found], indent=2, ensure_ascii=False))
        return
    for rank, item in enumerate(found, start=1):
        typer.secho(f"{rank:>2}. {item.title}", bold=True)
        typer.echo(
            f"    {item.department} · {item.type} · {item.date} · score {item.score:.3f} · id {item.id}"
        )
        typer.echo(f"    this document, {item.this_passage.section}: {item.this_passage.text}")
        typer.echo(f"    theirs, {item.their_passage.section}: {item.their_passage.text}")
        if item.shared_terms:
            typer.echo(f"    shared terms: {', '.join(item.shared_terms)}")


def info(kb_dir: KbDir = None, as_user: AsUser = None) -> None:
    """Describe an index: model, counts, departments (with --as, what that account may read)."""
    settings = load_settings(kb_dir=kb_dir)
    viewer = viewer_as(settings, as_user) if as_user else None
    typer.echo(json.dumps(open_kb(settings).stats(viewer), indent=2))
