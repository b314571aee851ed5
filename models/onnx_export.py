"""ONNX (and int8 ONNX) copies of a local sentence-transformers model, exported once and cached.

Why not sentence-transformers' own `backend="onnx"`: it needs `optimum-onnx`, whose every
release requires transformers < 4.58, while sentence-transformers 6 requires transformers >= 5
(and optimum-onnx 0.1.0 fails to import against transformers 5). So the export is done here
with what is installed: torch's ONNX exporter for the transformer, ONNX Runtime's dynamic
int8 quantization (per-channel MatMul weights, the same choice as optimum's avx512_vnni
preset), and the model's own tokenizer and pooling configuration at run time.

Nothing is downloaded: the export reads only the model directory on this machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np

from models.base import ModelUnavailableError

ONNX_BACKENDS = ("onnx", "onnx-int8")
DEFAULT_MODELS_CACHE = Path("~/.cache/lessonbase/models")
MODEL_FILE = "model.onnx"
INT8_FILE = "model_qint8.onnx"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
#: bumped whenever the export changes, so older cached exports are not reused
EXPORT_VERSION = 2

#: exports performed by this process (tests check that a second load reuses the cache)
EXPORT_COUNT = 0


def models_cache_dir(models_cache: str | Path | None = None) -> Path:
    """The cache directory: the argument, else KB_MODELS_CACHE, else ~/.cache/lessonbase/models."""
    if models_cache is None:
        models_cache = os.environ.get("KB_MODELS_CACHE") or DEFAULT_MODELS_CACHE
    return Path(models_cache).expanduser()


def weights_digest(model_path: Path) -> str:
    """sha256 prefix of the model's weights, so a changed model is never served from the cache."""
    for name in ("model.safetensors", "pytorch_model.bin"):
        weights = model_path / name
        if weights.is_file():
            digest = hashlib.sha256()
            with weights.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            return digest.hexdigest()[:16]
    raise ModelUnavailableError(f"{model_path}: no model.safetensors or pytorch_model.bin")


def cached_model_dir(model: str, model_path: Path, backend: str, models_cache=None) -> Path:
    slug = re.sub(r"[^a-z0-9._-]+", "-", model.lower()).strip("-") or "model"
    digest = weights_digest(model_path)
    return models_cache_dir(models_cache) / f"{slug}-{backend}-{digest}-x{EXPORT_VERSION}"


def ensure_exported(model: str, model_path: Path, backend: str, models_cache=None) -> Path:
    """The cached ONNX file for (model, backend, weights); exported on first use.

    The export is written to a temporary directory beside the cache entry and renamed into
    place when complete, so an interrupted export is never loaded.
    """
    if backend not in ONNX_BACKENDS:
        raise ValueError(f"not an ONNX backend: {backend!r}")
    final = cached_model_dir(model, model_path, backend, models_cache)
    file_name = INT8_FILE if backend == "onnx-int8" else MODEL_FILE
    if (final / file_name).is_file():
        return final / file_name
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".tmp-{final.name}-", dir=final.parent))
    try:
        _export(model_path, temp / MODEL_FILE)
        if backend == "onnx-int8":
            _quantize(temp / MODEL_FILE, temp / INT8_FILE)
            (temp / MODEL_FILE).unlink()
        (temp / "source.json").write_text(
            json.dumps({"model": model, "path": str(model_path), "backend": backend}) + "\n"
        )
        os.chmod(temp, 0o755)
        try:
            os.replace(temp, final)
        except OSError:
            if not (final / file_name).is_file():  # not merely another process winning the race
                raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    global EXPORT_COUNT
    EXPORT_COUNT += 1
    return final / file_name


def _export(model_path: Path, target: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    # Eager attention: the default SDPA path exports a mask-and-NaN guard (Where, IsNaN) that
    # took a quarter of ONNX Runtime's time; the eager graph is plain MatMul + Softmax.
    st = SentenceTransformer(
        str(model_path), device="cpu", model_kwargs={"attn_implementation": "eager"}
    )
    transformer = st[0].auto_model.eval()
    sample = st.tokenizer(["an example sentence", "another"], padding=True, return_tensors="pt")
    names = [n for n in _INPUTS if n in sample]

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *inputs):
            return self.inner(**dict(zip(names, inputs, strict=True))).last_hidden_state

    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]}
    # The tracer warns about shape checks it freezes; for an encoder they do not depend on the
    # batch (checked: the export matches torch to cosine 1.0 on other batch and sequence sizes).
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(transformer),
            tuple(sample[n] for n in names),
            str(target),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel int8 MatMul weights: cosine ~0.99 to torch on MiniLM; per-tensor gives ~0.97.
    quantize_dynamic(
        str(source),
        str(target),
        op_types_to_quantize=["MatMul"],
        per_channel=True,
        weight_type=QuantType.QInt8,
    )


class OnnxSentenceModel:
    """Tokenizer + ONNX transformer + the model's pooling: a SentenceTransformer's encode()."""

    def __init__(self, model_path: Path, onnx_file: Path):
        from transformers import AutoTokenizer

        self.pooling = _pooling_mode(model_path)
        config = model_path / "sentence_bert_config.json"
        settings = json.loads(config.read_text()) if config.is_file() else {}
        self.max_length = int(settings.get("max_seq_length") or 512)
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
        self.onnx_file = onnx_file
        # By thread count (None: ONNX Runtime's default, a thread per core). A session's
        # thread pool is fixed when it is made, and a query, or a batch embedded beside the
        # glossary-mining process, must keep to one core.
        self._sessions: dict[int | None, object] = {}
        session = self.session(None)
        self.input_names = [i.name for i in session.get_inputs()]
        self.dimension = int(session.get_outputs()[0].shape[-1])

    def session(self, threads: int | None):
        """The inference session that runs on ``threads`` threads, made on first use."""
        if threads not in self._sessions:
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.log_severity_level = 3
            options.intra_op_num_threads = threads or 0
            options.inter_op_num_threads = 1
            self._sessions[threads] = ort.InferenceSession(
                str(self.onnx_file), options, providers=["CPUExecutionProvider"]
            )
        return self._sessions[threads]

    def encode(self, texts: list[str], batch_size: int, threads: int | None = None) -> np.ndarray:
        # Longest first, as sentence-transformers does, so batches pad little.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        session = self.session(threads)
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._batch([texts[i] for i in rows], session)
        return out

    def _batch(self, texts: list[str], session) -> np.ndarray:
        encoded = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
        )
        feeds = {name: encoded[name].astype(np.int64) for name in self.input_names}
        hidden = session.run(None, feeds)[0]
        if self.pooling == "cls":
            return hidden[:, 0]
        mask = encoded["attention_mask"][..., None].astype(np.float32)
        return (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)


def _pooling_mode(model_path: Path) -> str:
    """'mean' or 'cls' from the model's Pooling module; other layouts are refused."""
    modules_file = model_path / "modules.json"
    modules = json.loads(modules_file.read_text()) if modules_file.is_file() else []
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise ModelUnavailableError(
            f"{model_path}: the ONNX backends support Transformer + Pooling (+ Normalize) "
            f"models only, this one has {kinds or 'no modules.json'}; use backend 'torch'"
        )
    pooling = next(m for m in modules if m["type"].endswith("Pooling"))
    config = json.loads((model_path / pooling["path"] / "config.json").read_text())
    modes = [k for k, v in config.items() if k.startswith("pooling_mode_") and v]
    if modes == ["pooling_mode_mean_tokens"]:
        return "mean"
    if modes == ["pooling_mode_cls_token"]:
        return "cls"
    raise ModelUnavailableError(
        f"{model_path}: pooling {modes} is not supported by the ONNX backends; use 'torch'"
    )
