"""Mining in a child process beside embedding: when it is worth one, what a failure in it
says, and that it dies with a killed index run (the next run leaves nothing behind)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.terms.background import (
    BACKGROUND_MIN_DOCUMENTS,
    BackgroundMining,
    MiningFailedError,
    model_to_load,
    worth_a_child_process,
)
from models.fake import FakeEmbedder
from models.lazy import LazyEmbedder
from tests.conftest import REPO, markdown_doc

KB = str(Path(sys.executable).with_name("kb"))


def children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task").glob("*/children")
    return [int(child) for task in tasks for child in task.read_text().split()]


def running(pid: int) -> bool:
    """True while ``pid`` runs; a zombie waiting to be reaped has ended."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def mining_child(index: subprocess.Popen, timeout: float = 60.0) -> int:
    """The glossary-mining process ``index`` starts (not multiprocessing's resource tracker)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and index.poll() is None:
        for child in children(index.pid):
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        time.sleep(0.01)
    pytest.fail("the index run started no glossary-mining process")


def kb(*args: str, mining: bool = False, wait: bool = True):
    """`kb ARGS` run to its end (its output), or started (``wait=False``: the process)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "KB_EMBEDDER": "fake", "KB_PROGRESS": "0",
           "KB_GLOSSARY_MINING": "1" if mining else "0"}  # fmt: skip
    if not wait:
        return subprocess.Popen(
            [KB, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    return subprocess.run([KB, *args], env=env, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_background_child_dies_with_a_killed_run_and_the_rerun_cleans_up(write_doc):
    for n in range(BACKGROUND_MIN_DOCUMENTS + 5):  # enough changed documents for a child
        text = f"Pump {n} seized when its seal dried out; inspect seal {n} weekly."
        write_doc(f"lesson-{n:03d}.md", markdown_doc(f"Pump {n}", sections={"Lesson": text}))
    kb_dir = write_doc.root.parent / "kb"
    index = kb("index", str(write_doc.root), "--kb", str(kb_dir), mining=True, wait=False)
    child = mining_child(index)
    time.sleep(0.3)  # into its start-up: it imports spaCy and loads the pipeline for seconds
    assert running(child)
    index.send_signal(signal.SIGKILL)
    killed_at = time.time()
    index.wait()
    while running(child) and time.time() - killed_at < 2.0:
        time.sleep(0.01)
    assert not running(child), "the mining process outlived its index run by 2 s"
    assert list(kb_dir.glob(".tmp-gen-*"))  # what the killed run was writing
    cache = kb_dir / "cache" / "mining.sqlite"
    assert not cache.exists() or cache.stat().st_mtime <= killed_at  # not written since

    kb("index", str(write_doc.root), "--kb", str(kb_dir))  # mining off: not the point here
    assert not list(kb_dir.glob(".tmp-gen-*"))
    info = json.loads(kb("info", "--kb", str(kb_dir)))
    assert info["counts"]["documents"] == BACKGROUND_MIN_DOCUMENTS + 5


def test_background_only_beside_a_model_that_must_load_first_or_for_many_texts():
    unloaded = LazyEmbedder(lambda: FakeEmbedder("fake-256"), "fake", "fake-256", "torch")
    assert model_to_load(unloaded, missing_chunks=3)
    assert not model_to_load(unloaded, missing_chunks=0)
    assert not model_to_load(FakeEmbedder("fake-256"), missing_chunks=3)
    unloaded.encode(["loads it"])
    assert not model_to_load(unloaded, missing_chunks=3)
    assert worth_a_child_process(BACKGROUND_MIN_DOCUMENTS) == ((os.cpu_count() or 1) >= 2)
    assert not worth_a_child_process(BACKGROUND_MIN_DOCUMENTS - 1)


def test_background_a_failure_in_the_child_process_comes_back_with_its_cause():
    mining = BackgroundMining([("broken", None, {})], None, None)  # a text that is no text
    try:
        with pytest.raises(MiningFailedError, match="^AttributeError: "):
            mining.result()
    finally:
        mining.stop()
