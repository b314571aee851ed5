"""Helpers shared by the benchmark scripts: data paths, percentiles, a served index."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
NASA = SHARED / "nasa-llis" / "lessons.jsonl"
NASA_MAPPING = REPO / "examples" / "mappings" / "nasa-llis.yaml"
BENCH_DIR = REPO / ".bench"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(kb_dir: Path, timeout: float = 120.0):
    """`kb serve` in a child process on a free loopback port; yields its base URL."""
    port = free_port()
    kb = Path(sys.executable).with_name("kb")
    env = {**os.environ, "KB_PROGRESS": "0"}
    proc = subprocess.Popen(
        [str(kb), "serve", "--kb", str(kb_dir), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"server on {base} did not answer within {timeout}s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def time_requests(client: httpx.Client, urls: list[str]) -> list[float]:
    """Milliseconds per request, each checked for a 200."""
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return timings
