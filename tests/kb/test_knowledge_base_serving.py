"""A server's KnowledgeBase gives each model call one core and warms the model up, in every
generation it opens; a request reads one generation, and replaced ones are closed."""

import threading

from indexer import run_index
from kb.knowledge_base import SERVING_THREADS, KnowledgeBase
from kb.search import SearchRequest
from models.fake import FakeEmbedder
from tests.conftest import held_files, markdown_doc


class ThreadRecording(FakeEmbedder):
    def __init__(self):
        super().__init__()
        self.threads = []
        self.warm_ups = 0

    def use_threads(self, threads):
        self.threads.append(threads)

    def warm_up(self):
        self.warm_ups += 1


def test_knowledge_base_serving_limits_model_threads_in_new_generations(write_doc, fake_settings):
    write_doc("ops/a.md", markdown_doc("Dock notes", sections={"Lesson": "Racks arrived late."}))
    run_index([write_doc.root], fake_settings)
    embedder = ThreadRecording()
    kb = KnowledgeBase(fake_settings, embedder=embedder)
    assert embedder.threads == []  # a KnowledgeBase for scripts keeps the backend's default
    assert embedder.warm_ups == 0
    kb.prepare_for_serving()
    assert embedder.threads == [SERVING_THREADS]
    assert embedder.warm_ups == 1
    write_doc("ops/b.md", markdown_doc("Vendor notes", sections={"Lesson": "Track promises."}))
    run_index([write_doc.root], fake_settings)
    assert kb.generation.searcher.embedder is embedder
    assert embedder.threads == [SERVING_THREADS, SERVING_THREADS]
    assert embedder.warm_ups == 2


def generation_files(kb_dir, number: int) -> list[str]:
    return held_files(kb_dir / f"gen-{number:06d}", deleted_only=False)


def test_knowledge_base_serving_a_pinned_generation_outlives_its_replacement(
    write_doc, fake_settings
):
    write_doc("ops/a.md", markdown_doc("Dock notes", sections={"Lesson": "Racks arrived late."}))
    run_index([write_doc.root], fake_settings)
    kb = KnowledgeBase(fake_settings)
    kb.prepare_for_serving()
    with kb.pinned():
        old = kb.store
        write_doc("ops/b.md", markdown_doc("Vendor notes", sections={"Lesson": "Track promises."}))
        run_index([write_doc.root], fake_settings)
        elsewhere = threading.Thread(target=lambda: kb.search(SearchRequest(q="promises")))
        elsewhere.start()  # a thread starts with a context of its own: it reads the new one
        elsewhere.join()
        assert kb.store is old and kb.stats()["generation"] == 1
        assert [hit.title for hit in kb.search(SearchRequest(q="racks"))] == ["Dock notes"]
        assert generation_files(fake_settings.kb_dir, 1)
    assert old.closed
    assert generation_files(fake_settings.kb_dir, 1) == []
    assert kb.stats()["generation"] == 2 and kb.stats()["counts"]["documents"] == 2


def test_knowledge_base_serving_unpinned_callers_keep_what_they_took(write_doc, fake_settings):
    # Outside a server (the CLI), nothing is pinned: a store taken before a new generation
    # is published still reads (kb kickoff keeps one for a whole pack).
    write_doc("ops/a.md", markdown_doc("Dock notes", sections={"Lesson": "Racks arrived late."}))
    run_index([write_doc.root], fake_settings)
    kb = KnowledgeBase(fake_settings)
    store = kb.store
    write_doc("ops/b.md", markdown_doc("Vendor notes", sections={"Lesson": "Track promises."}))
    run_index([write_doc.root], fake_settings)
    assert len(kb.search(SearchRequest(q="promises"))) == 1  # the new generation
    assert store.counts()["documents"] == 1 and not store.closed
