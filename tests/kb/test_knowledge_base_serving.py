"""A server's KnowledgeBase gives each model call one core and warms the model up, in every
generation it opens."""

from indexer import run_index
from kb.knowledge_base import SERVING_THREADS, KnowledgeBase
from models.fake import FakeEmbedder
from tests.conftest import markdown_doc


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
