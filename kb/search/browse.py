"""Browsing without a query: the documents passing the filters, newest first, with facets."""

from __future__ import annotations

import json

from kb.index.store import Store
from kb.search.facets import facet_counts, without_facet_filters
from kb.search.request import SearchHit, SearchRequest, SearchResult
from kb.search.snippets import snippet_at


def document_hit(doc, chunk, score: float, matched_by: list[str], terms: list[str]) -> SearchHit:
    """A hit for a `documents` row, explained by one of its `chunks` rows."""
    return SearchHit(
        id=doc["id"],
        title=doc["title"],
        type=doc["type"],
        department=doc["department"],
        date=doc["date"],
        score=round(float(score), 4),
        section=chunk["section_heading"],
        section_key=chunk["section_key"],
        snippet="",
        project=doc["project"] or "",
        tags=json.loads(doc["tags"] or "[]"),
        chunk_id=chunk["id"],
        matched_by=matched_by,
        terms=terms,
    )


def browse(store: Store, request: SearchRequest) -> SearchResult:
    """One page of the documents passing `request.filters`, newest first, each shown by the
    opening of its first passage (in the chosen sections, if any); facets over all of them."""
    listed = store.documents.listing(request.filters)
    shown = listed[request.offset : request.offset + request.k]
    docs = store.documents.rows([doc for doc, _ in shown])
    chunks = store.chunks.by_id([chunk for _, chunk in shown])
    hits = []
    for doc, chunk in shown:
        hit = document_hit(docs[doc], chunks[chunk], 0.0, [], [])
        if request.with_snippets:
            hit.snippet = snippet_at(chunks[chunk]["text"], 0)
        hits.append(hit)
    facets = {}
    if request.with_facets:
        base = without_facet_filters(request.filters)
        counted = listed if base == request.filters else store.documents.listing(base)
        facets = facet_counts(store, [doc for doc, _ in counted], request.filters)
    return SearchResult(
        hits, len(listed), request.mode, facets, page=request.page, k=request.k, browsing=True
    )
