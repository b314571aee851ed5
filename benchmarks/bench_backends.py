"""Embedding backends side by side: indexing throughput on NASA, hybrid nDCG@10 on SciFact.

    .venv/bin/python benchmarks/bench_backends.py [--backends torch,torch-bf16,onnx,onnx-int8]
                                                  [--skip-quality] [--kb DIR]

For every backend, in one run and one after the other: the NASA lessons file is indexed with
glossary mining off, so only parsing and embedding are timed (the ONNX exports are made, or
reused from KB_MODELS_CACHE, before the clock starts); then SciFact (train queries) is indexed
with the same backend and evaluated in hybrid mode. The last lines apply the rule the default
backend is chosen by: the fastest backend whose nDCG@10 is within 0.005 of torch's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, NASA, NASA_MAPPING, SHARED  # noqa: E402
from figures import emit, met  # noqa: E402

from indexer import run_index  # noqa: E402
from indexer.evaluation import build_index, evaluate, load_qrels, load_queries  # noqa: E402
from kb.documents.mapping import Mapping  # noqa: E402
from kb.settings import Settings  # noqa: E402
from models import create_embedder  # noqa: E402
from models.base import resolve_embedding_backend  # noqa: E402

SCIFACT = SHARED / "scifact"
QUALITY_TOLERANCE = 0.005
SPEED_TARGET = 2.5  # the default backend's throughput against torch's (issue target)


def backend_settings(backend: str, kb_dir: Path) -> Settings:
    return Settings(kb_dir=kb_dir, embedding_backend=backend, glossary_mining=False, progress=False)


def throughput(backend: str, kb_dir: Path) -> dict:
    settings = backend_settings(backend, kb_dir)
    started = time.perf_counter()
    embedder = create_embedder(
        settings.embedder,
        settings.model,
        settings.device,
        embedding_backend=backend,
        models_cache=settings.models_cache,
    )
    load_seconds = time.perf_counter() - started
    run = run_index([NASA], settings, Mapping.load(NASA_MAPPING), rebuild=True, embedder=embedder)
    embed_seconds = max(1e-9, run.phase_seconds.get("embed", 0.0))
    return {
        "chunks": run.chunks_embedded,
        "load_s": round(load_seconds, 1),
        "index_s": round(run.seconds, 1),
        "chunks_per_s": round(run.chunks_embedded / embed_seconds, 1),
    }


def scifact_ndcg(backend: str, kb_dir: Path) -> float:
    settings = backend_settings(backend, kb_dir)
    kb = build_index(SCIFACT / "corpus.jsonl", kb_dir, settings)
    queries = load_queries(SCIFACT / "queries-train.jsonl")
    return round(evaluate(kb, queries, load_qrels(SCIFACT / "qrels" / "train.tsv"), "hybrid")
                 .ndcg_at_10, 4)  # fmt: skip


def choose_default(results: dict[str, dict]) -> str | None:
    """The fastest backend whose nDCG@10 is within QUALITY_TOLERANCE of torch's."""
    if "torch" not in results or "ndcg_at_10" not in results["torch"]:
        return None
    floor = results["torch"]["ndcg_at_10"] - QUALITY_TOLERANCE
    eligible = [b for b, r in results.items() if r.get("ndcg_at_10", -1.0) >= floor]
    return max(eligible, key=lambda b: results[b]["chunks_per_s"])


def print_table(results: dict[str, dict]) -> None:
    base = results.get("torch", {}).get("chunks_per_s")
    print(f"\nNASA LLIS ({NASA.name}) embedding throughput; SciFact train hybrid nDCG@10")
    print(f"  {'backend':<11}{'chunks/s':>9}{'x torch':>9}{'index s':>9}{'nDCG@10':>9}")
    for backend, r in results.items():
        ratio = f"{r['chunks_per_s'] / base:.2f}" if base else "-"
        ndcg = r.get("ndcg_at_10", "-")
        print(f"  {backend:<11}{r['chunks_per_s']:>9}{ratio:>9}{r['index_s']:>9}{ndcg:>9}")
    chosen = choose_default(results)
    if chosen:
        print(f"\nfastest within {QUALITY_TOLERANCE} nDCG@10 of torch: {chosen}")
        default = Settings().embedding_backend
        print(f"default (kb/settings.py): {default} -> {resolve_embedding_backend(default)} here")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="torch,torch-bf16,onnx,onnx-int8")
    parser.add_argument("--skip-quality", action="store_true", help="throughput only")
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "backends-index")
    args = parser.parse_args()
    results = {}
    for backend in args.backends.split(","):
        results[backend] = throughput(backend, args.kb / backend)
        if not args.skip_quality:
            results[backend]["ndcg_at_10"] = scifact_ndcg(backend, args.kb / f"scifact-{backend}")
        print(f"{backend}: {results[backend]}", flush=True)
    print_table(results)
    emit_figures(results)


def emit_figures(results: dict[str, dict]) -> None:
    base = results.get("torch", {}).get("chunks_per_s")
    default = resolve_embedding_backend(Settings().embedding_backend)
    speed = ", ".join(f"{backend} {r['chunks_per_s']}" for backend, r in results.items())
    speed, target = speed + " chunks/s", ""
    if base and default in results:
        ratio = results[default]["chunks_per_s"] / base
        speed += f" ({default}, the default here, {ratio:.2f}× torch)"
        target = f"default ≥ {SPEED_TARGET}× torch: {met(ratio >= SPEED_TARGET)}"
    emit("embedding throughput, NASA (one run)", speed, target=target, values=results)
    if all("ndcg_at_10" in r for r in results.values()) and "torch" in results:
        floor = results["torch"]["ndcg_at_10"] - QUALITY_TOLERANCE
        quality = {backend: r["ndcg_at_10"] for backend, r in results.items()}
        ok = default in quality and quality[default] >= floor
        emit(
            "SciFact train hybrid nDCG@10, same run",
            ", ".join(f"{backend} {ndcg:.4f}" for backend, ndcg in quality.items()),
            target=f"default within {QUALITY_TOLERANCE} of torch: {met(ok)}",
            values=quality,
        )


if __name__ == "__main__":
    main()
