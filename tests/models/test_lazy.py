"""`kb index` loads its model only when something needs embedding."""

from __future__ import annotations

import numpy as np
import pytest

from indexer import run_index
from kb.settings import Settings
from models import registry
from models.base import ModelUnavailableError
from models.fake import FakeEmbedder
from models.lazy import LazyEmbedder
from tests.conftest import markdown_doc


class Loads:
    """A factory of fake embedders that counts how often it was called."""

    def __init__(self, model: str = "fake-256"):
        self.model, self.count = model, 0

    def __call__(self, *args, **kwargs) -> FakeEmbedder:
        self.count += 1
        return FakeEmbedder(self.model)


def lazy(loads: Loads, model: str = "fake-256") -> LazyEmbedder:
    return LazyEmbedder(loads, "fake", model, "torch")


def test_lazy_embedder_loads_on_first_encode_only():
    loads = Loads()
    embedder = lazy(loads)
    assert embedder.encode([]).shape == (0, 256) and loads.count == 1  # dimension: loaded
    loads = Loads()
    embedder = lazy(loads)
    embedder.assume_dimension(256)
    assert embedder.dimension == 256 and embedder.encode([]).shape == (0, 256)
    assert loads.count == 0 and not embedder.is_loaded
    vectors = embedder.encode(["a text", "another text"])
    assert loads.count == 1 and vectors.shape == (2, 256)
    assert np.allclose(vectors, FakeEmbedder("fake-256").encode(["a text", "another text"]))
    embedder.encode(["a third"])
    assert loads.count == 1


def test_lazy_embedder_refuses_a_model_other_than_the_index_was_built_with():
    embedder = lazy(Loads("fake-64"), model="fake-256")
    embedder.assume_dimension(256)
    with pytest.raises(ModelUnavailableError, match="kb index --rebuild"):
        embedder.encode(["a text"])


def test_lazy_embedder_applies_the_thread_setting_when_it_loads(monkeypatch):
    seen = []
    monkeypatch.setattr(FakeEmbedder, "use_threads", lambda self, n: seen.append(n), False)
    embedder = lazy(Loads())
    embedder.use_threads(1)
    assert seen == []
    embedder.encode(["a text"])
    assert seen == [1]


def test_lazy_embedder_unchanged_reindex_never_loads_the_model(write_doc, tmp_path, monkeypatch):
    loads = Loads()
    monkeypatch.setitem(registry.EMBEDDERS, "fake", loads)
    monkeypatch.setattr(registry, "SLOW_TO_LOAD", {"fake"})  # as if it took seconds
    settings = Settings(
        kb_dir=tmp_path / "kb", embedder="fake", model="fake-256", embedding_backend="torch",
        progress=False, glossary_mining=False,
    )  # fmt: skip

    def index_in_a_new_process():
        registry.forget_loaded_models()  # as `kb index` starts: nothing loaded
        return run_index([write_doc.root], settings)

    write_doc("a.md", markdown_doc())
    index_in_a_new_process()
    assert loads.count == 1
    again = index_in_a_new_process()
    assert loads.count == 1 and again.files_unchanged == 1 and again.rebuilt_because is None
    write_doc("b.md", markdown_doc(title="Another lesson", sections={"Lesson": "New text."}))
    third = index_in_a_new_process()
    assert loads.count == 2 and third.chunks_embedded > 0
