"""Index the NASA lessons file with the real model: wall time, chunks per second, peak memory.

    .venv/bin/python benchmarks/bench_index_nasa.py [--kb DIR] [--embedder NAME]

The index is kept (default .bench/nasa-index) for bench_search_http.py.
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, NASA, NASA_MAPPING  # noqa: E402
from figures import emit  # noqa: E402

from indexer import run_index  # noqa: E402
from kb.documents.mapping import Mapping  # noqa: E402
from kb.settings import Settings  # noqa: E402


def build_nasa_index(kb_dir: Path, embedder: str = "sentence-transformers") -> dict:
    settings = Settings(kb_dir=kb_dir, embedder=embedder, progress=sys.stderr.isatty())
    run = run_index([NASA], settings, Mapping.load(NASA_MAPPING), rebuild=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "documents": run.documents_total,
        "chunks": run.chunks_total,
        "rejected": len(run.errors),
        "wall_seconds": round(run.seconds, 1),
        "chunks_per_second": round(run.chunks_embedded / run.seconds, 1),
        "embedding_chunks_per_second": round(
            run.chunks_embedded / max(1e-9, run.phase_seconds.get("embed", 0.0)), 1
        ),
        "phase_seconds": {k: round(v, 1) for k, v in run.phase_seconds.items()},
        "glossary_candidates": run.glossary_candidates,
        "mining_in_background_seconds": run.glossary_background_seconds
        and round(run.glossary_background_seconds, 1),
        "peak_memory_mb": round(peak_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--embedder", default="sentence-transformers")
    args = parser.parse_args()
    figures = build_nasa_index(args.kb, args.embedder)
    print(f"NASA LLIS index ({args.embedder}) at {args.kb}")
    for name, value in figures.items():
        print(f"  {name:<18} {value}")
    emit_figures(figures, args.embedder)


def emit_figures(figures: dict, embedder: str) -> None:
    mining = "on" if figures["glossary_candidates"] is not None else "off"
    beside = figures["mining_in_background_seconds"]
    emit(
        f"NASA full build, glossary mining {mining}"
        + ("" if embedder == "sentence-transformers" else f", {embedder} embedder"),
        f"{figures['wall_seconds']} s ({figures['chunks']:,} chunks, "
        f"{figures['chunks_per_second']} chunks/s"
        + (f"; spaCy mines for {beside} s beside" if beside else "")
        + f"), peak {figures['peak_memory_mb']} MB",
        values=figures,
    )


if __name__ == "__main__":
    main()
