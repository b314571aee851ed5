"""What hostile requests cost `kb serve`: memory, temporary disk and time.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_hostile_requests.py [--code DIR]

Indexes examples/corpus with the fake embedder and serves it in a child process with its
own TMPDIR, running the code in --code (default: this checkout; give another checkout to
measure the code before a change). Reported:

- 200 MB of JSON sent chunked to /api/kickoff: status, and the server's RSS before the
  request, at its peak (VmHWM, reset just before) and after;
- 200 MB multipart bodies sent chunked to /kickoff, /api/kickoff, /logout and
  /glossary/import, anonymously: status, and the most the server's TMPDIR held while the
  body arrived (sampled every 10 ms, unlinked files the server holds open included);
- a DOCX charter of 295,000 empty paragraphs (37 KB) posted to /api/kickoff: status and
  time, and the p50 of /api/search requests sent one after another while it ran.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.web.server_process import (  # noqa: E402
    KB_CLI,
    MB,
    ServerProcess,
    chunks,
    code_env,
    kb_serve,
    multipart_chunks,
    peak_temp_bytes,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UPLOAD_PATHS = ("/kickoff", "/api/kickoff", "/logout", "/glossary/import")


def index_with(code: Path, base: Path) -> Path:
    """examples/corpus indexed by `code`'s own indexer (its index format)."""
    kb_dir = base / "kb"
    command = [sys.executable, "-c", KB_CLI, "index", str(REPO / "examples" / "corpus")]
    env = {**code_env(code), "KB_GLOSSARY_MINING": "0"}
    subprocess.run(
        [*command, "--kb", str(kb_dir)], env=env, cwd=code, check=True, capture_output=True
    )
    return kb_dir


def chunked_json(server: ServerProcess, total: int) -> None:
    server.reset_peak_memory()
    before = server.status("VmRSS")
    response = httpx.post(
        server.url + "/api/kickoff",
        content=chunks(total),
        headers={"content-type": "application/json"},
        timeout=600,
    )
    peak, after = server.status("VmHWM"), server.status("VmRSS")
    print(
        f"chunked JSON {total // MB} MB -> /api/kickoff: {response.status_code}; server RSS "
        f"before {before / MB:.0f} MB, peak {peak / MB:.0f} MB, after {after / MB:.0f} MB"
    )


def multipart_spool(server: ServerProcess, path: str, total: int) -> None:
    with peak_temp_bytes(server) as peak:
        response = httpx.post(
            server.url + path,
            content=multipart_chunks(total),
            headers={"content-type": "multipart/form-data; boundary=hostile"},
            timeout=600,
        )
    print(
        f"multipart {total // MB} MB -> {path}: {response.status_code}; "
        f"most in TMPDIR {peak() / MB:.1f} MB"
    )


def empty_paragraphs_docx(paragraphs: int) -> bytes:
    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    source, out = zipfile.ZipFile(blank), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as charter:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * paragraphs, 1)
            charter.writestr(item.filename, data)
    return out.getvalue()


def charter_with_searches(server: ServerProcess, paragraphs: int) -> None:
    charter = empty_paragraphs_docx(paragraphs)
    latencies, done = [], threading.Event()

    def search() -> None:
        while not done.is_set():
            started = time.perf_counter()
            httpx.get(server.url + "/api/search?q=vendor", timeout=600)
            latencies.append(time.perf_counter() - started)

    searcher = threading.Thread(target=search)
    started = time.perf_counter()
    searcher.start()
    files = {"charter": ("charter.docx", charter, DOCX_TYPE)}
    response = httpx.post(server.url + "/api/kickoff", files=files, timeout=900)
    elapsed = time.perf_counter() - started
    done.set()
    searcher.join()
    print(
        f"DOCX charter, {paragraphs:,} paragraphs, {len(charter) / 1000:.0f} KB -> /api/kickoff: "
        f"{response.status_code} in {elapsed:.1f} s; {len(latencies)} searches meanwhile, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies):.1f} s"
    )
    print(f"  answer: {response.text[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", type=Path, default=REPO, help="checkout to serve")
    parser.add_argument("--mb", type=int, default=200, help="size of each hostile body")
    parser.add_argument("--paragraphs", type=int, default=295_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as scratch:
        base = Path(scratch)
        kb_dir = index_with(args.code, base)
        with kb_serve(kb_dir, base / "tmp", code=args.code) as server:
            cwd = Path(f"/proc/{server.pid}/cwd").resolve()  # first on its sys.path
            print(f"serving {args.code} (pid {server.pid}, working directory {cwd})")
            chunked_json(server, args.mb * MB)
            for path in UPLOAD_PATHS:
                multipart_spool(server, path, args.mb * MB)
            charter_with_searches(server, args.paragraphs)


if __name__ == "__main__":
    main()
