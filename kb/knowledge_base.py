"""The KnowledgeBase facade: one object the CLI and the web app read an index through."""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from kb.access import Viewer
from kb.documents.schema import Document
from kb.documents.view import DocumentView
from kb.generation import Generation, Pin
from kb.index.filters import Filters
from kb.index.generations import CURRENT, Manifest, require_generation
from kb.index.store import Store
from kb.redaction import (
    NameMask,
    Redactor,
    redact_action_items,
    redact_groups,
    redact_hits,
    redact_pack,
    redact_related,
)
from kb.related import RelatedLesson, RelatedSources, related_lessons
from kb.related.recurrence import (
    RecurrenceGroup,
    RecurrenceSources,
    recurrence_of,
    recurring_groups,
)
from kb.search import SearchConfig, SearchHit, SearchRequest, SearchResult
from kb.settings import Settings
from models import Embedder, create_embedder

SERVING_THREADS = 1  # cores per model call in a server (prepare_for_serving)


class KnowledgeBase:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.kb_dir = Path(settings.kb_dir)
        self._embedder = embedder
        self._serving = False  # set by prepare_for_serving
        self._lock = threading.Lock()
        self._expansions: Callable[[], dict[str, list[str]]] | None = None
        self.search_config = SearchConfig(
            fusion=settings.fusion,
            semantic_weight=settings.semantic_weight,
            min_similarity=settings.min_similarity,
            default_sensitivity=settings.default_sensitivity,
        )
        # One per KnowledgeBase: the pin of the `pinned` block the caller is in, if any.
        self._pin: contextvars.ContextVar[Pin | None] = contextvars.ContextVar(
            f"kb-pin-{id(self)}", default=None
        )
        self._gen = self._open_live()

    def _open_live(self) -> Generation:
        return Generation(
            require_generation(self.kb_dir),
            self._embedder_for,
            self.search_config,
            self.glossary_expansions,
        )

    def prepare_for_serving(self) -> None:
        """Give each model call one core, now and in every generation opened later.

        Requests run in parallel threads; with torch's default of a thread per core every
        call waits for cores that other requests hold: on 2 shared cores, 20 clients got 5
        requests/s with a p95 of 15.6 s; with one thread, 27.6 requests/s and 2.2 s
        (benchmarks/bench_load.py).
        """
        self._serving = True
        self.generation.searcher.embedder.use_threads(SERVING_THREADS)
        self.generation.searcher.embedder.warm_up()

    def use_glossary(self, expansions: Callable[[], dict[str, list[str]]]) -> None:
        """Expand keyword searches with approved glossary synonyms and acronyms."""
        self._expansions = expansions

    def glossary_expansions(self) -> dict[str, list[str]]:
        """Approved forms -> their other forms, from the state database's glossary."""
        if self._expansions is None:
            self._expansions = _default_expansions(self.settings)
        return self._expansions()

    def _embedder_for(self, manifest: Manifest) -> Embedder:
        embedder = (
            self._embedder
            if self._embedder is not None
            else create_embedder(
                manifest.embedder,
                manifest.model,
                self.settings.device,
                embedding_backend=manifest.backend,
                models_cache=self.settings.models_cache,
            )
        )
        if self._serving:
            embedder.use_threads(SERVING_THREADS)
            embedder.warm_up()
        return embedder

    @property
    def generation(self) -> Generation:
        """The generation the current `pinned` block reads, else the live one; reopened
        when `kb index` has published a new one."""
        pin = self._pin.get()
        if pin is None:
            return self._live()
        if pin.generation is None:
            self._live()  # opens a newly published generation, or raises if it is unusable
            with self._lock:
                if pin.generation is None:
                    pin.generation = self._gen
                    pin.generation.pins += 1
        return pin.generation

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Read one generation throughout the block (a server's request): the one live at
        its first read, even once `kb index` has published a newer one. Threads that copy
        the caller's context (Starlette's threadpool does) read it too. A replaced
        generation's files are closed when the last block reading it ends."""
        if self._pin.get() is not None:  # an outer block holds one already
            yield
            return
        pin = Pin()
        token = self._pin.set(pin)
        try:
            yield
        finally:
            self._pin.reset(token)
            if pin.generation is not None:
                self._release(pin.generation)

    def _live(self) -> Generation:
        try:
            target = os.readlink(self.kb_dir / CURRENT)
        except OSError:
            return self._gen
        if target != self._gen.path.name:
            with self._lock:
                if target != self._gen.path.name:
                    retired, self._gen = self._gen, self._open_live()
                    retired.retired = True
                    # In a server every request holds its generation; elsewhere a caller
                    # may still use the objects it took (kb kickoff keeps a store for a
                    # whole pack), so there the garbage collector closes them, as before.
                    if retired.pins == 0 and self._serving:
                        retired.close()
        return self._gen

    def _release(self, generation: Generation) -> None:
        with self._lock:
            generation.pins -= 1
            done = generation.retired and generation.pins == 0
        if done:
            generation.close()

    @property
    def manifest(self) -> Manifest:
        return self.generation.manifest

    @property
    def store(self) -> Store:
        return self.generation.store

    def search(self, request: SearchRequest) -> list[SearchHit]:
        hits = self.generation.searcher.search(request)
        return redact_hits(hits, self.redactor(request.viewer), self._people)

    def run_search(self, request: SearchRequest, query_vector=None) -> SearchResult:
        """Hits with the total and, when asked, facet counts."""
        result = self.generation.searcher.run(request, query_vector)
        result.hits = redact_hits(result.hits, self.redactor(request.viewer), self._people)
        return result

    def redactor(self, viewer: Viewer | None) -> Redactor:
        """Whose names `viewer` may not read (KB_REDACT_NAMES_OUTSIDE_DEPARTMENT)."""
        return Redactor.of(self.settings.redact_names_outside_department, viewer)

    def _people(self, doc_ids: list[str]):
        return self.store.person_names.people(doc_ids)

    def _mask(self, doc: Document, viewer: Viewer | None) -> NameMask | None:
        """The names of `doc` to hide from `viewer`, or None when they may read them."""
        if not self.redactor(viewer).hides(doc.department):
            return None
        return NameMask(self._people([doc.id])[doc.id])

    def redact_pack(self, pack, viewer: Viewer | None):
        """A kickoff pack as `viewer` may see it: names from documents outside their
        departments replaced by roles (the pack itself is kept with them)."""
        return redact_pack(pack, self.redactor(viewer), self._people)

    def redact_actions(self, items: list[dict], viewer: Viewer | None) -> list[dict]:
        """Action items (kb.actions, as dicts) as `viewer` may see them: names from
        documents outside their departments replaced by roles."""
        return redact_action_items(items, self.redactor(viewer), self._people)

    def embed_queries(self, texts: list[str]):
        """Query vectors from the model this index was built with, in one batch."""
        return self.generation.searcher.embedder.encode(texts)

    def document(self, doc_id: str, viewer: Viewer | None = None) -> DocumentView | None:
        """The document, or None when there is none or `viewer` may not read it: the two
        answer alike, so a refusal does not reveal that an id exists."""
        store = self.store
        doc = store.documents.get(doc_id)
        if doc is None or not self.readable(doc, viewer or Viewer.system()):
            return None
        rowid = store.documents.rowid(doc_id)
        actions = [
            {"text": a["text"], "owner": a["owner"], "due": a["due"], "done": bool(a["done"])}
            for a in store.documents.actions(rowid)
        ]
        mask = self._mask(doc, viewer)
        if mask is None:
            return DocumentView(doc, actions)
        return DocumentView(mask.document(doc), mask.actions(actions), True, mask.complete)

    def action_listing(self, viewer: Viewer, department: str = "") -> list:
        """Action items of the documents `viewer` may read (of one department, if given),
        each with its document's id, title, department and date."""
        filters = self._readable(viewer)
        if department:
            filters = replace(filters, departments=(department,))
        return self.store.documents.action_listing(filters)

    def document_cards(self, doc_ids: list[str], viewer: Viewer) -> dict:
        """{id: row with id, title, department, date} of those documents `viewer` may read."""
        return self.store.documents.cards(doc_ids, self._readable(viewer))

    def readable(self, doc: Document, viewer: Viewer) -> bool:
        audience = doc.extra.get("audience") or []
        audience = [audience] if isinstance(audience, str) else [str(a) for a in audience]
        default = self.settings.default_sensitivity
        return viewer.can_read(doc.sensitivity, doc.department, audience, default)

    def _readable(self, viewer: Viewer | None) -> Filters:
        """The access filter of `viewer` (none: every document passes)."""
        return Filters(viewer=viewer, default_sensitivity=self.settings.default_sensitivity)

    def _searchable(self, viewer: Viewer | None) -> Filters:
        """What searches and related lessons show `viewer`: what they may read, archived
        documents hidden (kb.documents.lifecycle)."""
        searchable = replace(self._readable(viewer), hide_archived=True)
        return self.store.documents.hiding_archived(searchable)

    def related(
        self,
        doc_id: str,
        k: int = 5,
        include_same_department: bool = False,
        viewer: Viewer | None = None,
    ) -> list[RelatedLesson] | None:
        """Documents related to doc_id that `viewer` may read (None if it does not exist or
        they may not read it), other departments first."""
        viewer = viewer or Viewer.system()
        view = self.document(doc_id, viewer)
        if view is None:
            return None
        readable = self._searchable(viewer)
        gen = self.generation
        expansions = self.glossary_expansions()
        forms = frozenset(expansions) | {f for others in expansions.values() for f in others}
        sources = RelatedSources(
            gen.store, gen.vectors, gen.document_terms, forms, readable=readable
        )
        lessons = related_lessons(sources, doc_id, k, include_same_department)
        this = self._mask(view.document, viewer)
        return redact_related(lessons, this, self.redactor(viewer), self._people)

    def recurrence(self, doc_id: str, viewer: Viewer | None = None) -> RecurrenceGroup | None:
        """The document and the lessons teaching the same thing that `viewer` may read,
        oldest first; None if it does not exist, they may not read it, or the generation
        has no lesson pairs."""
        viewer = viewer or Viewer.system()
        if self.document(doc_id, viewer) is None:
            return None
        group = recurrence_of(self._recurrence_sources(viewer), doc_id)
        if group is None:
            return None
        return redact_groups([group], self.redactor(viewer), self._people)[0]

    def recurring(self, viewer: Viewer | None = None) -> list[RecurrenceGroup]:
        """The lessons learned more than once that `viewer` may read, most often first."""
        viewer = viewer or Viewer.system()
        groups = recurring_groups(self._recurrence_sources(viewer))
        return redact_groups(groups, self.redactor(viewer), self._people)

    def _recurrence_sources(self, viewer: Viewer) -> RecurrenceSources:
        gen = self.generation
        return RecurrenceSources(gen.store, gen.lesson_pairs, self._readable(viewer))

    def departments(self, viewer: Viewer | None = None) -> list[tuple[str, int]]:
        """(department, documents `viewer` may read, everything without a viewer) by name;
        archived documents are not counted, as searches do not show them."""
        return self.store.documents.departments(self._searchable(viewer))

    def sections(self, viewer: Viewer | None = None) -> list[tuple[str, int]]:
        """(section key, documents having it) of the sections of the documents `viewer` may
        read (all without one), most first."""
        if viewer is None or viewer.reads_everything:
            return self.store.chunks.section_counts()
        return self.store.chunks.section_counts(self._readable(viewer))

    def stats(self, viewer: Viewer | None = None) -> dict:
        """The index's figures; with a viewer, its documents and departments count only
        what they may read, and only someone who reads everything sees the rest."""
        manifest = self.manifest
        departments = dict(self.store.documents.departments(self._readable(viewer)))
        counts = dict(manifest.counts)
        if viewer is not None:
            counts["documents"] = sum(departments.values())
        figures = {
            "kb_dir": str(self.kb_dir),
            "generation": manifest.generation,
            "created_at": manifest.created_at,
            "model": manifest.model,
            "embedder": manifest.embedder,
            "backend": manifest.backend,
            "dimension": manifest.dimension,
            "counts": counts,
            "departments": departments,
        }
        if viewer is not None and not viewer.reads_everything:
            # Chunk and term totals would tell what they cannot read; paths are the server's.
            del figures["kb_dir"]
            figures["counts"] = {"documents": counts["documents"]}
        return figures


def _default_expansions(settings: Settings) -> Callable[[], dict[str, list[str]]]:
    """The glossary's expansions from the state database (KB_DATABASE_URL), or none when
    it has no glossary yet."""
    from kb.glossary.glossary import existing_glossary

    glossary = existing_glossary(settings)
    return dict if glossary is None else glossary.expansions
