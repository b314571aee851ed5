"""`kb serve` in a child process, as people run it: for tests of what the server holds in
memory and on disk while it reads a hostile request."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from indexer import run_index
from tests.conftest import EXAMPLES, REPO
from tests.web.browser_support import free_port

MB = 1_000_000
KB_CLI = "from kb.cli import main; main()"


@dataclass(frozen=True)
class ServerProcess:
    url: str
    pid: int
    tmpdir: Path  # the server's TMPDIR

    def status(self, field: str) -> int:
        """A /proc/PID/status size (VmRSS, VmHWM) in bytes."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(field)

    def reset_peak_memory(self) -> None:
        """VmHWM starts again from the current RSS (see proc(5), clear_refs)."""
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")

    def temp_bytes(self) -> int:
        """Bytes in the server's TMPDIR, counting files it holds open after unlinking them."""
        total = sum(path.stat().st_size for path in self.tmpdir.rglob("*") if path.is_file())
        for fd in Path(f"/proc/{self.pid}/fd").iterdir():
            try:
                if os.readlink(fd).startswith(str(self.tmpdir)):
                    total += fd.stat().st_size
            except OSError:  # closed meanwhile
                continue
        return total


@contextmanager
def peak_temp_bytes(server: ServerProcess) -> Iterator[Callable[[], int]]:
    """The most the server's TMPDIR held while the block ran (sampled every 10 ms)."""
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], server.temp_bytes())
            done.wait(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield lambda: peak[0]
    finally:
        done.set()
        sampler.join()


def index_examples(base: Path) -> Path:
    """examples/corpus indexed with the fake embedder; returns the index directory."""
    from kb.settings import Settings

    settings = Settings(kb_dir=base / "kb", embedder="fake", progress=False, glossary_mining=False)
    run = run_index([EXAMPLES / "corpus"], settings)
    assert not run.errors, run.errors
    return settings.kb_dir


def code_env(code: Path) -> dict[str, str]:
    """The environment for a child running `code` with the fake embedder (start it with
    cwd=code: `python -c` puts the working directory first on sys.path)."""
    path = os.pathsep.join([str(code), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, "KB_EMBEDDER": "fake", "KB_PROGRESS": "0"}


@contextmanager
def kb_serve(
    kb_dir: Path, tmpdir: Path, code: Path = REPO, **settings: str
) -> Iterator[ServerProcess]:
    """`kb serve --kb kb_dir` on a free loopback port with TMPDIR=tmpdir and KB_* settings,
    running the code in `code` (a benchmark may compare another checkout)."""
    port = free_port()
    tmpdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-c", KB_CLI, "serve", "--kb", str(kb_dir), "--port", str(port)]
    env = {**code_env(code), "TMPDIR": str(tmpdir)}
    env.update({f"KB_{name.upper()}": value for name, value in settings.items()})
    child = subprocess.Popen(command, env=env, cwd=code, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(child, url)
        yield ServerProcess(url, child.pid, tmpdir)
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _wait_until_up(child: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if child.poll() is not None:
            pytest.fail(f"kb serve exited with status {child.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("kb serve did not answer /healthz within 60 s")


def chunks(total: int, size: int = MB, fill: bytes = b"a") -> Iterator[bytes]:
    """`total` bytes in chunks of `size`, made as they are sent (sent chunked by httpx)."""
    block = fill * size
    for _ in range(total // size):
        yield block
    if total % size:
        yield fill * (total % size)


def multipart_chunks(total: int, boundary: str = "hostile") -> Iterator[bytes]:
    """A multipart form with one file field of `total` bytes, sent without Content-Length."""
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\nx\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    yield head.encode()
    yield from chunks(total)
    yield f"\r\n--{boundary}--\r\n".encode()
