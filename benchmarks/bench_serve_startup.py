"""Seconds from starting `kb serve` until its search page answers, on the fake embedder.

    PYTHONPATH=TREE .venv/bin/python benchmarks/bench_serve_startup.py [--kb DIR] [--runs 7]

Measures the code on PYTHONPATH (run it once for the old tree and once for the new), so the
state database's cost at start-up (SQLAlchemy's import, the schema check) shows as the
difference. Indexes examples/corpus with the fake embedder into --kb if it is missing; one
warm-up start first (it creates the embedded state database), then --runs timed starts on a
database already at the newest schema, as every start after the first one is.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from figures import emit

REPO = Path(__file__).resolve().parents[1]
KB = [sys.executable, "-c", "from kb.cli import main; main()"]
TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def time_one_start(kb_dir: Path, env: dict) -> float:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [*KB, "serve", "--kb", str(kb_dir), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < TIMEOUT:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                    return time.perf_counter() - started
            except OSError:
                if server.poll() is not None:
                    sys.exit(f"kb serve exited with {server.returncode}")
                time.sleep(0.02)
        sys.exit(f"kb serve did not answer within {TIMEOUT} s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=Path(tempfile.gettempdir()) / "kb-startup")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "KB_EMBEDDER": "fake", "KB_GLOSSARY_MINING": "false"}
    if not (args.kb / "current").exists():
        index = [*KB, "index", str(REPO / "examples" / "corpus"), "--kb", str(args.kb)]
        subprocess.run(index, env=env, check=True, capture_output=True)
    time_one_start(args.kb, env)  # warm-up: file cache, and the state database's creation
    times = [time_one_start(args.kb, env) for _ in range(args.runs)]
    median = statistics.median(times)
    print(f"kb serve until the page answers: median {median:.2f} s of {args.runs} starts "
          f"(min {min(times):.2f}, max {max(times):.2f})")  # fmt: skip
    emit(
        "kb serve start-up, fake embedder, until / answers",
        f"{median:.2f} s median of {args.runs}",
        target="no slower than before the state database by more than 0.2 s",
        values={"median_s": median, "min_s": min(times), "max_s": max(times)},
    )


if __name__ == "__main__":
    main()
