"""The upload worker: another process, killed and replaced past its time limit, memory-capped."""

from __future__ import annotations

import asyncio
import io
import os
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from web.upload_worker import UploadRefused, UploadWorker, read_charter


def run(worker: UploadWorker, task, *args):
    return asyncio.run(worker.run("charter.docx", task, *args))


@pytest.fixture
def worker():
    worker = UploadWorker(seconds=2.0, memory_bytes=512 * 2**20)
    yield worker
    worker.close()


def stopped(pid: int, seconds: float = 10.0) -> bool:
    """The process ended (gone, or a zombie not yet reaped) within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return True
        if stat.rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_web_upload_worker_reads_in_another_process(worker):
    assert run(worker, os.getpid) != os.getpid()
    read = run(worker, read_charter, b"# Charter\n\nRacks arrive late.", "charter.md", 1_000)
    assert read.text.startswith("# Charter") and not read.refusal
    refused = run(worker, read_charter, b"\x00\x01", "blob.md", 1_000)
    assert refused.refusal_kind == "binary" and "blob.md" in refused.refusal


def test_web_upload_worker_kills_a_slow_read_and_starts_afresh(worker):
    first = run(worker, os.getpid)
    worker.seconds = 0.3
    with pytest.raises(UploadRefused, match=r"charter.docx took longer than 0.3 seconds"):
        run(worker, time.sleep, 30)
    assert stopped(first)  # the worker that was reading is gone
    second = run(worker, os.getpid)
    assert second != first


def test_web_upload_worker_refuses_a_read_that_needs_too_much_memory(worker):
    with pytest.raises(UploadRefused, match=r"charter.docx needs more than 0.5 GiB of memory"):
        run(worker, bytearray, 2**30)
    assert run(worker, len, b"still reading") == 13


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def long_charter(paragraphs: int = 18_000) -> bytes:
    """A DOCX within every bound (paragraphs, characters, bytes) that still takes a while."""
    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    source, out = zipfile.ZipFile(blank), io.BytesIO()
    body = "".join(
        f"<w:p><w:r><w:t>Rack {n} arrived late from the vendor in week {n % 52}.</w:t></w:r></w:p>"
        for n in range(paragraphs)
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as charter:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + body.encode(), 1)
            charter.writestr(item, data)
    return out.getvalue()


def test_web_upload_worker_slow_charter_is_refused_while_searches_answer(examples_server):
    searches, done = [], threading.Event()

    def search_meanwhile() -> None:
        while not done.is_set() or not searches:
            answer = httpx.get(examples_server.url + "/api/search?q=vendor", timeout=60)
            searches.append(answer.status_code)

    searcher = threading.Thread(target=search_meanwhile)
    searcher.start()
    try:
        files = {"charter": ("charter.docx", long_charter(), DOCX_TYPE)}
        response = httpx.post(examples_server.url + "/api/kickoff", files=files, timeout=60)
    finally:
        done.set()
        searcher.join()
    assert response.status_code == 422
    assert "charter.docx took longer than 0.02 seconds to read" in response.json()["detail"]
    assert searches and set(searches) == {200}
