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
    with served_process(kb_dir, timeout) as (base, _):
        yield base


@contextlib.contextmanager
def served_process(kb_dir: Path, timeout: float = 120.0, env: dict | None = None):
    """Like `served`, yielding (base URL, server process); `env` adds environment variables."""
    port = free_port()
    kb = Path(sys.executable).with_name("kb")
    proc = subprocess.Popen(
        [str(kb), "serve", "--kb", str(kb_dir), "--port", str(port)],
        env={**os.environ, "KB_PROGRESS": "0", **(env or {})},
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc, timeout)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_until_up(base: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"`kb serve` exited with status {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {base} did not answer within {timeout}s")


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process from /proc, in MiB: peak (VmHWM), current (VmRSS), and
    the current split into private memory (RssAnon) and mapped files (RssFile: the model,
    libraries and SQLite pages read through mmap, which the OS can drop and re-read)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
            fields[name] = int(value.split()[0]) / 1024  # kB
    return fields


def load_average() -> str:
    """The machine's 1-minute load average: other jobs on the 2 cores skew latencies."""
    return f"load average {os.getloadavg()[0]:.2f}"


def env_pairs(pairs: list[str]) -> dict[str, str]:
    """NAME=VALUE strings (a --server-env option) as a dict."""
    return dict(pair.split("=", 1) for pair in pairs)


def time_requests(client: httpx.Client, urls: list[str]) -> list[float]:
    """Milliseconds per request, each checked for a 200."""
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return timings
