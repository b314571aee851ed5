"""What one changed file costs in a large index: a new file, then that file edited twice.

    .venv/bin/python benchmarks/bench_reindex_scale.py [--sizes 100000,1000000]

Each size's generated index (.bench/scaled-<chunks>, built by scaled_index.py on first use,
as for bench_search_scale.py) is copied to a scratch folder beside it, and one Markdown file
is indexed into it from a folder of its own (the index's other sources are left alone, as
`kb index` leaves other roots). The first run adds the file: it also rewrites the term
statistics once, from an index written before they were kept up to date by changes. The next
two runs change the file; the last finds nothing changed (it reads the live database and
copies nothing). Real model, default settings, glossary mining off (the mining
cost of one changed file is bench_reindex.py's subject). Printed per run: the time, the
phases, and how the vector index and the database were written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR  # noqa: E402
from scaled_index import scaled_index  # noqa: E402

from indexer import run_index  # noqa: E402
from kb.index.generations import CURRENT, Manifest  # noqa: E402
from kb.settings import Settings  # noqa: E402

LESSON = """---
title: Torque wrenches out of calibration
type: lesson
department: Operations
date: 2024-01-01
---

## Lesson

The torque wrench used for the rework was out of calibration; check tools before rework.
"""

# (label, whether the file is edited after the run): the last run finds nothing changed.
RUNS = [("a new file", True), ("that file changed", True), ("changed again", False),
        ("nothing changed", False)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args()
    for size in args.sizes.split(","):
        source, _ = scaled_index(int(size))
        with tempfile.TemporaryDirectory(prefix="kb-reindex-scale-", dir=BENCH_DIR) as scratch:
            measure(source, Path(scratch), int(size))


def measure(source: Path, scratch: Path, size: int) -> None:
    kb_dir, folder = scratch / "kb", scratch / "docs"
    shutil.copytree(source, kb_dir, symlinks=True)
    folder.mkdir()
    path = folder / "torque.md"
    path.write_text(LESSON)
    settings = Settings(kb_dir=kb_dir, progress=False, glossary_mining=False)
    print(f"{size:,} chunks")
    for label, edit_after in RUNS:
        started = time.perf_counter()
        run = run_index([folder], settings)
        seconds = time.perf_counter() - started
        phases = ", ".join(f"{k} {v:.2f}s" for k, v in run.phase_seconds.items())
        manifest = Manifest.read(kb_dir / CURRENT)
        print(f"  {label:<20} {seconds:7.2f} s  ({phases}; {run.chunks_embedded} chunks "
              f"embedded; vector index {manifest.vector_index})", flush=True)  # fmt: skip
        if edit_after:
            path.write_text(path.read_text() + f"\nAnother sentence, number {time.time_ns()}.\n")


if __name__ == "__main__":
    main()
