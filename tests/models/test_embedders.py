import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from models import EMBEDDERS, create_embedder
from models.base import ModelUnavailableError
from models.fake import FakeEmbedder
from models.sentence_transformer import resolve_model_path


def test_embedders_fake_is_deterministic_and_normalized():
    a, b = FakeEmbedder(), FakeEmbedder()
    vectors = a.encode(["vendor delays", "vendor delays", "payroll"])
    assert np.allclose(vectors, b.encode(["vendor delays", "vendor delays", "payroll"]))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[0] @ vectors[1] > 0.99 > vectors[0] @ vectors[2]


def test_embedders_shared_words_mean_closer_vectors():
    q, near, far = FakeEmbedder().encode(
        ["rack vendor late", "the rack vendor was late", "payroll audit"]
    )
    assert q @ near > q @ far


def test_embedders_empty_input_gives_empty_matrix():
    assert FakeEmbedder().encode([]).shape == (0, 256)


def test_embedders_registry_knows_backends_and_refuses_unknown():
    assert {"sentence-transformers", "fake"} <= set(EMBEDDERS)
    with pytest.raises(ModelUnavailableError, match="unknown embedder 'magic'"):
        create_embedder("magic", "x")


def test_embedders_never_download_unknown_models(tmp_path):
    with pytest.raises(ModelUnavailableError, match="never downloaded"):
        resolve_model_path("some-org/some-model")
    assert resolve_model_path(str(tmp_path)) == tmp_path.resolve()


def test_embedders_packaged_model_resolves_to_the_official_weights():
    import hashlib

    path = resolve_model_path("all-MiniLM-L6-v2")
    digest = hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest()
    assert digest.startswith("53aa5117") and digest.endswith("28d9db")


@pytest.mark.slow
def test_embedders_sentence_transformer_gives_meaningful_vectors():
    embedder = create_embedder("sentence-transformers", "all-MiniLM-L6-v2")
    q, near, far = embedder.encode(
        [
            "supplier shipped the servers months late",
            "vendor delivery delays",
            "employee birthday party",
        ]
    )
    assert embedder.dimension == 384
    assert q @ near > q @ far + 0.2


def test_embedders_query_vectors_are_cached_and_equal_to_encoding():
    class Counting(FakeEmbedder):
        calls = 0

        def _encode(self, texts, batch_size):
            Counting.calls += 1
            return super()._encode(texts, batch_size)

    embedder = Counting()
    first = embedder.encode_query("vendor delays")
    second = embedder.encode_query("vendor delays")
    assert Counting.calls == 1
    assert np.allclose(first, embedder.encode(["vendor delays"])[0]) and first is second
    embedder.forget_queries()
    embedder.encode_query("vendor delays")
    assert Counting.calls == 3  # the encode above, then the query again


def test_embedders_start_query_lets_the_caller_work_while_the_model_embeds():
    caller_went_on = threading.Event()

    class OwnThread(FakeEmbedder):
        def _start_encode(self, texts, batch_size):
            def encode():  # finishes only once start_query has returned to the caller
                assert caller_went_on.wait(5), "start_query waited for the model"
                return self._encode(texts, batch_size)

            return ThreadPoolExecutor(1).submit(encode).result

    embedder = OwnThread()
    pending = embedder.start_query("vendor delays")
    caller_went_on.set()
    vector = pending()
    assert np.allclose(vector, FakeEmbedder().encode_query("vendor delays"))
    assert embedder.encode_query("vendor delays") is vector  # remembered once it arrived


def test_embedders_describe_and_unknown_embedding_backend():
    assert FakeEmbedder().describe()["backend"] == "torch"
    with pytest.raises(ModelUnavailableError, match="unknown embedding backend 'tpu'"):
        create_embedder("sentence-transformers", "all-MiniLM-L6-v2", embedding_backend="tpu")


@pytest.mark.parametrize(
    ("flags", "machine", "device", "expected"),
    [
        ("fpu avx512f amx_bf16 amx_tile", "x86_64", "cpu", "torch-bf16"),
        ("fpu avx512f avx512_bf16", "x86_64", "cpu", "torch-bf16"),
        ("fpu avx2 fma", "x86_64", "cpu", "onnx-int8"),
        ("fp asimd", "aarch64", "cpu", "torch"),
        ("fpu avx512f amx_bf16", "x86_64", "cuda", "torch"),
        ("fpu avx2 fma", "x86_64", "cuda", "torch"),
    ],
)
def test_embedders_auto_backend_follows_the_cpu(
    flags, machine, device, expected, tmp_path, monkeypatch
):
    from models import base

    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nflags\t\t: {flags}\n")
    assert base.cpu_has_native_bf16(cpuinfo) == ("bf16" in flags)
    monkeypatch.setattr(base, "cpu_has_native_bf16", lambda: "bf16" in flags)
    monkeypatch.setattr(base.platform, "machine", lambda: machine)
    assert base.resolve_embedding_backend("auto", device) == expected
    assert base.resolve_embedding_backend("onnx-int8", device) == "onnx-int8"


def test_embedders_auto_backend_falls_back_to_torch_for_a_model_onnx_cannot_run(monkeypatch):
    from models import registry

    asked = []

    def torch_only(model, device="cpu", embedding_backend="torch", models_cache=None):
        asked.append(embedding_backend)
        if embedding_backend.startswith("onnx"):
            raise ModelUnavailableError(f"{model}: no ONNX export for this layout")
        return FakeEmbedder()

    monkeypatch.setitem(registry.EMBEDDERS, "torch-only", torch_only)
    monkeypatch.setattr(registry, "resolve_embedding_backend", lambda name, device: "onnx-int8")
    embedder = create_embedder("torch-only", "custom", embedding_backend="auto", cached=False)
    assert isinstance(embedder, FakeEmbedder) and asked == ["onnx-int8", "torch"]
    with pytest.raises(ModelUnavailableError, match="no ONNX export"):  # asked for by name
        create_embedder("torch-only", "custom", embedding_backend="onnx-int8", cached=False)


def test_embedders_missing_cpuinfo_means_no_bf16(tmp_path):
    from models.base import cpu_has_native_bf16

    assert cpu_has_native_bf16(tmp_path / "absent") is False


def test_embedders_models_cache_defaults_and_env(monkeypatch, tmp_path):
    from kb.settings import Settings
    from models.onnx_export import models_cache_dir

    monkeypatch.delenv("KB_MODELS_CACHE", raising=False)
    assert models_cache_dir() == Path("~/.cache/lessonbase/models").expanduser()
    assert Settings.from_env({}).models_cache == Path("~/.cache/lessonbase/models")
    monkeypatch.setenv("KB_MODELS_CACHE", str(tmp_path))
    assert models_cache_dir() == tmp_path
    assert Settings.from_env().models_cache == tmp_path
    assert Settings.from_env({"KB_EMBEDDING_BACKEND": "onnx-int8"}).embedding_backend == (
        "onnx-int8"
    )
    with pytest.raises(ValueError, match="embedding_backend"):
        Settings(embedding_backend="tensorrt")


@pytest.mark.slow
def test_embedders_onnx_int8_exports_once_and_matches_torch(tmp_path):
    from models import onnx_export
    from models.sentence_transformer import SentenceTransformerEmbedder

    sentences = [
        "The pump failed during the thermal vacuum test.",
        "Communicate schedule risks to the project office early.",
        "A connector fault on the flight harness was missed in ambient tests.",
        "Vendor lead times doubled after the supplier changed.",
    ]
    torch_vectors = SentenceTransformerEmbedder("all-MiniLM-L6-v2").encode(sentences)
    before = onnx_export.EXPORT_COUNT
    first = SentenceTransformerEmbedder(
        "all-MiniLM-L6-v2", embedding_backend="onnx-int8", models_cache=tmp_path
    )
    assert before + 1 == onnx_export.EXPORT_COUNT
    assert first.onnx_file.is_file() and first.onnx_file.is_relative_to(tmp_path)
    assert first.onnx_file.name == onnx_export.INT8_FILE
    assert not list(tmp_path.glob(".tmp-*"))  # the temp export dir was renamed into place
    assert first.describe()["backend"] == "onnx-int8" and first.dimension == 384
    vectors = first.encode(sentences)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors * torch_vectors).sum(axis=1).min() >= 0.98
    mtime = first.onnx_file.stat().st_mtime_ns

    second = SentenceTransformerEmbedder(
        "all-MiniLM-L6-v2", embedding_backend="onnx-int8", models_cache=tmp_path
    )
    assert before + 1 == onnx_export.EXPORT_COUNT  # reused, not exported again
    assert second.onnx_file == first.onnx_file
    assert second.onnx_file.stat().st_mtime_ns == mtime
    assert np.allclose(second.encode(sentences), vectors, atol=1e-6)
    # On one thread (a server, or beside the mining process): the same vectors.
    second.use_threads(1)
    assert np.allclose(second.encode(sentences), vectors, atol=1e-5)
    # int8 activations are scaled per batch: a text alone is quantized a little differently.
    assert float(second.encode_query(sentences[0]) @ vectors[0]) >= 0.99
    one_thread = second._model.session(1).get_session_options()
    assert one_thread.intra_op_num_threads == 1


@pytest.mark.slow
def test_embedders_torch_bf16_matches_torch_and_returns_unit_float32():
    from models.sentence_transformer import SentenceTransformerEmbedder

    sentences = [
        "The pump failed during the thermal vacuum test.",
        "Communicate schedule risks to the project office early.",
        "Vendor lead times doubled after the supplier changed.",
    ]
    full = SentenceTransformerEmbedder("all-MiniLM-L6-v2").encode(sentences)
    half = SentenceTransformerEmbedder("all-MiniLM-L6-v2", embedding_backend="torch-bf16")
    vectors = half.encode(sentences)
    assert vectors.dtype == np.float32 and half.describe()["backend"] == "torch-bf16"
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors * full).sum(axis=1).min() >= 0.99


@pytest.mark.slow
def test_embedders_padded_batches_give_each_text_its_own_vector():
    """Batches are padded to a multiple of 16 tokens; the padding must not leak into a vector."""
    from models.sentence_transformer import (
        PAD_TO_MULTIPLE_OF,
        SentenceTransformerEmbedder,
        _padding_kwargs,
    )

    embedder = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    texts = ["Pump", "The regulator vented during the second pressure test of the day."]
    features = embedder._model.preprocess(texts, **_padding_kwargs(embedder._model))
    assert features["input_ids"].shape[1] % PAD_TO_MULTIPLE_OF == 0
    together = embedder.encode(texts, batch_size=2)
    alone = np.vstack([embedder.encode([text], batch_size=1) for text in texts])
    assert (together * alone).sum(axis=1).min() >= 0.9999


@pytest.mark.slow
def test_embedders_a_model_loaded_after_queries_still_indexes_on_every_core():
    """Queries run on one thread; a model loaded later in the process (a second index run,
    a benchmark) must not take that for the process's thread count."""
    import torch

    from models.sentence_transformer import SentenceTransformerEmbedder

    first = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    first.encode_query("pump failure")
    second = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    assert second._default_threads == first._default_threads >= min(2, torch.get_num_threads())


@pytest.mark.slow
def test_embedders_loading_a_model_keeps_transformers_quiet(capfd):
    """No "Loading weights" bar between `kb`'s own lines; the caller's settings come back."""
    from transformers.utils import logging as hf_logging

    from models.sentence_transformer import SentenceTransformerEmbedder

    hf_logging.set_verbosity_info()
    try:
        SentenceTransformerEmbedder("all-MiniLM-L6-v2").encode_query("pump failure")
        assert hf_logging.get_verbosity() == hf_logging.INFO
    finally:
        hf_logging.set_verbosity_warning()
    assert "Loading weights" not in capfd.readouterr().err
