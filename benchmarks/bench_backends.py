"""Index the NASA lessons file once per embedding backend: chunks per second and ratio to torch.

    .venv/bin/python benchmarks/bench_backends.py [--backends torch,onnx,onnx-int8] [--kb DIR]

Glossary mining is off so only parsing and embedding are timed. The ONNX exports are made
(or reused) before the clock starts, in the models cache (KB_MODELS_CACHE).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, NASA, NASA_MAPPING  # noqa: E402

from indexer import run_index  # noqa: E402
from kb.mapping import Mapping  # noqa: E402
from kb.settings import Settings  # noqa: E402
from models import create_embedder  # noqa: E402


def bench_backend(backend: str, kb_dir: Path) -> dict:
    settings = Settings(
        kb_dir=kb_dir,
        embedding_backend=backend,
        glossary_mining=False,
        progress=sys.stderr.isatty(),
    )
    started = time.perf_counter()
    embedder = create_embedder(
        settings.embedder,
        settings.model,
        settings.device,
        cached=False,
        embedding_backend=backend,
        models_cache=settings.models_cache,
    )
    load_seconds = time.perf_counter() - started
    run = run_index([NASA], settings, Mapping.load(NASA_MAPPING), rebuild=True, embedder=embedder)
    embed_seconds = max(1e-9, run.phase_seconds.get("embed", 0.0))
    return {
        "chunks": run.chunks_embedded,
        "load_seconds": round(load_seconds, 1),
        "wall_seconds": round(run.seconds, 1),
        "chunks_per_second": round(run.chunks_embedded / run.seconds, 1),
        "embedding_chunks_per_second": round(run.chunks_embedded / embed_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="torch,onnx,onnx-int8")
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "backends-index")
    args = parser.parse_args()
    results = {}
    for backend in args.backends.split(","):
        results[backend] = bench_backend(backend, args.kb / backend)
        print(f"{backend}: {results[backend]}", flush=True)
    base = results.get("torch")
    print(f"\nNASA LLIS, {NASA.name}: embedding chunks/s per backend")
    for backend, figures in results.items():
        rate = figures["embedding_chunks_per_second"]
        ratio = f"{rate / base['embedding_chunks_per_second']:.2f}x torch" if base else ""
        print(
            f"  {backend:<10} {rate:>7} chunks/s embedding, "
            f"{figures['chunks_per_second']:>7} overall  {ratio}"
        )


if __name__ == "__main__":
    main()
