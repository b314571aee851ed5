"""What a killed `kb index` leaves behind, and how long its glossary-mining child outlives it.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_kill_rerun.py [--kills 6] [--documents 150]

Writes a corpus of small generated lessons (enough changed documents that glossary mining
runs in a child process), builds an index (fake embedder, mining on), then `--kills` times:
edits every document, starts `kb index`, waits until its mining child has run for a second,
SIGKILLs the index process and times how long the child lives on. Prints the `.tmp-gen-*`
folders (count and bytes) left after the kills and after one more run on the corpus as the
live generation holds it (nothing to publish), and whether the index then holds as many
documents as a clean build. The `kb` it runs imports from
PYTHONPATH, so the same script measures another tree's code.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "pump valve seal turbine rotor bearing coolant manifold sensor harness relay breaker "
    "firmware controller battery thruster gimbal actuator gasket weld bracket radiator "
    "antenna transponder gyroscope regulator compressor injector nozzle hydraulic thermal "
    "pressure vibration corrosion fatigue calibration inspection procedure checklist vendor "
    "schedule review handover telemetry anomaly margin redundancy tolerance"
).split()
ADJECTIVES = "cracked worn loose faulty late aged frozen noisy overheated misaligned".split()
KB = [str(Path(sys.executable).with_name("kb"))]


def write_corpus(folder: Path, documents: int, edit: int) -> None:
    """``documents`` lessons of about 550 words; ``edit`` changes every one of them."""
    rng = random.Random(7)
    for n in range(documents):
        sentences = [
            f"The {rng.choice(ADJECTIVES)} {rng.choice(WORDS)} {rng.choice(WORDS)} failed during "
            f"the {rng.choice(WORDS)} {rng.choice(WORDS)} after the {rng.choice(WORDS)} review."
            for _ in range(40)
        ]
        body = " ".join(sentences) + f" Revision {edit}."
        (folder / f"lesson-{n:04d}.md").write_text(
            f"---\ntitle: Lesson {n}\ntype: lesson\ndepartment: Ops\ndate: 2023-01-01\n---\n\n"
            f"## What happened\n\n{body}\n\n## Lesson\n\nCheck the {WORDS[n % len(WORDS)]}.\n"
        )


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def kill_during_mining(folder: Path, kb_dir: Path, env: dict) -> tuple[float, bool]:
    """Seconds the mining child lived after its index process was killed, and whether the
    mining cache was written after the kill."""
    index = subprocess.Popen([*KB, "index", str(folder), "--kb", str(kb_dir)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        child = wait_for_child(index.pid)
    except TimeoutError:
        index.kill()
        raise
    time.sleep(1.0)  # the child is parsing by now
    index.send_signal(signal.SIGKILL)
    killed, killed_at = time.perf_counter(), time.time()
    index.wait()
    while alive(child) and time.perf_counter() - killed < 120:
        time.sleep(0.01)
    lived = time.perf_counter() - killed
    cache = kb_dir / "cache" / "mining.sqlite"
    return lived, cache.exists() and cache.stat().st_mtime > killed_at


def wait_for_child(pid: int, timeout: float = 60.0) -> int:
    """The first process ``pid`` starts that is not multiprocessing's resource tracker."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        for child in children(pid):
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        time.sleep(0.01)
    raise TimeoutError("the index run started no mining process")


def leftovers(kb_dir: Path) -> tuple[int, int]:
    temps = list(kb_dir.glob(".tmp-gen-*"))
    size = sum(f.stat().st_size for t in temps for f in t.rglob("*") if f.is_file())
    return len(temps), size


def documents_in(kb_dir: Path, env: dict) -> int:
    out = subprocess.run([*KB, "info", "--kb", str(kb_dir)], env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return json.loads(out)["counts"]["documents"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--documents", type=int, default=150)
    args = parser.parse_args()
    env = {**os.environ, "KB_EMBEDDER": "fake", "KB_PROGRESS": "0"}
    with tempfile.TemporaryDirectory(prefix="bench-kill-") as scratch:
        folder, kb_dir = Path(scratch) / "docs", Path(scratch) / "kb"
        folder.mkdir()
        write_corpus(folder, args.documents, edit=0)
        subprocess.run([*KB, "index", str(folder), "--kb", str(kb_dir)], env=env, check=True,
                       capture_output=True)  # fmt: skip
        outlived, written = [], 0
        for kill in range(1, args.kills + 1):
            write_corpus(folder, args.documents, edit=kill)
            lived, wrote = kill_during_mining(folder, kb_dir, env)
            outlived.append(lived)
            written += wrote
        count, size = leftovers(kb_dir)
        print(f"after {args.kills} kills: {count} .tmp-gen-* folders, {size:,} bytes")
        print("mining child lived on after its parent's SIGKILL: "
              + ", ".join(f"{s:.2f}" for s in outlived) + f" s (max {max(outlived):.2f} s)")  # fmt: skip
        print(f"mining cache written after the kill: in {written} of {args.kills} runs")
        write_corpus(folder, args.documents, edit=0)  # as the live generation holds it
        subprocess.run([*KB, "index", str(folder), "--kb", str(kb_dir)], env=env, check=True,
                       capture_output=True)  # fmt: skip
        count, size = leftovers(kb_dir)
        print(f"after the next run (nothing changed): {count} .tmp-gen-* folders, {size:,} bytes")
        clean = Path(scratch) / "clean"
        subprocess.run([*KB, "index", str(folder), "--kb", str(clean)], env=env, check=True,
                       capture_output=True)  # fmt: skip
        print(f"documents: {documents_in(kb_dir, env)} (a clean build: {documents_in(clean, env)})")


if __name__ == "__main__":
    main()
