"""A server closes the index generations that `kb index` replaced, once no request reads
them; a request finishes on the generation it started with."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from models.fake import FakeEmbedder
from tests.conftest import held_files, markdown_doc
from web.app import create_app

REQUESTS = [
    "/api/search?q=racks+late",
    "/api/search?q=racks&mode=keyword",
    "/?q=promises&format=json",
    "/documents/ops-dock?format=json",
    "/api/documents/ops-dock/related",
    "/glossary",
    "/healthz",
]


class GatedEmbedder(FakeEmbedder):
    """The fake model, whose query embeddings wait at `gate` while it is closed."""

    def __init__(self):
        super().__init__()
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.gate.set()

    def _encode(self, texts, batch_size):
        self.entered.set()
        if not self.gate.wait(timeout=30):
            raise TimeoutError("the test never opened the gate")
        return super()._encode(texts, batch_size)


def write_corpus(write_doc, round_number: int) -> None:
    write_doc("ops/dock.md", markdown_doc("Dock notes", sections={"Lesson": "Racks arrived late."}))
    write_doc(
        "ops/vendor.md",
        markdown_doc("Vendor notes", sections={"Lesson": f"Track promises, round {round_number}."}),
    )


def test_web_generations_replaced_ones_are_closed(write_doc, fake_settings):
    write_corpus(write_doc, 0)
    run_index([write_doc.root], fake_settings)
    client = TestClient(create_app(fake_settings))
    for round_number in range(1, 7):
        write_corpus(write_doc, round_number)
        assert not run_index([write_doc.root], fake_settings).errors
        # Side by side, as a server's clients come: threads race for the new generation.
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda url: client.get(url).status_code, REQUESTS * 4))
        assert statuses == [200] * len(REQUESTS) * 4
    assert client.get("/api/info").json()["generation"] == 7
    assert held_files(fake_settings.kb_dir) == []  # nothing deleted still open or mapped
    hits = client.get("/api/search", params={"q": "round 6", "mode": "keyword"}).json()
    assert [hit["title"] for hit in hits] == ["Vendor notes"]


def test_web_generations_a_request_finishes_on_the_generation_it_started_on(
    write_doc, fake_settings
):
    write_corpus(write_doc, 0)
    run_index([write_doc.root], fake_settings)
    embedder = GatedEmbedder()
    client = TestClient(create_app(fake_settings, KnowledgeBase(fake_settings, embedder)))
    embedder.gate.clear()
    answers = []
    slow = threading.Thread(
        target=lambda: answers.append(client.get("/api/search", params={"q": "racks late"}))
    )
    slow.start()
    assert embedder.entered.wait(timeout=30)  # the search has begun on generation 1
    (write_doc.root / "ops" / "dock.md").unlink()
    run_index([write_doc.root], fake_settings)
    assert client.get("/api/search?q=racks&mode=keyword").json() == []  # generation 2
    first = fake_settings.kb_dir / "gen-000001"
    assert held_files(first, deleted_only=False)  # still read by the slow search
    embedder.gate.set()
    slow.join(timeout=30)
    assert answers[0].status_code == 200
    assert [hit["title"] for hit in answers[0].json()] == ["Dock notes"]
    assert held_files(first, deleted_only=False) == []  # closed once that search ended
