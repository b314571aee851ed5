"""Files a server keeps open after index generations are replaced and deleted.

    .venv/bin/python benchmarks/bench_generations.py [--nasa [FILE]] [--switches 27] [--idle 60]

Indexes a corpus with the fake embedder: a scratch copy of examples/corpus, or with --nasa the
NASA lessons export (read in place, 1,292 lessons, about 50 MB a generation) beside a scratch
file with one made-up lesson. Serves it with `kb serve` in a child process (set PYTHONPATH to
the tree to measure: this script talks HTTP and reads /proc only), then --switches times
edits the scratch file, runs `kb index` (which publishes a new generation and deletes all but
the newest two) and sends requests, 8 at a time. Printed after the switches and again after
--idle seconds without requests: the server's descriptors to deleted files under the index
directory and their bytes, and its memory mappings of deleted files there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import NASA, NASA_MAPPING, REPO, load_average, memory_mb, served_process  # noqa: E402

ENV = {"KB_EMBEDDER": "fake", "KB_GLOSSARY_MINING": "false", "KB_PROGRESS": "false"}
REQUESTS = [
    "/api/search?q=vendor+lead+times&k=10",
    "/api/search?q=budget&k=10&mode=keyword",
    "/?q=customer+escalation&format=json",
    "/glossary",
    "/",
]
DELETED = " (deleted)"


class Corpus:
    """What `kb index` reads: examples/corpus copied to scratch, or the NASA export in place
    and a made-up lesson in scratch; `edit` changes one scratch file."""

    def __init__(self, scratch: Path, nasa: Path | None):
        self.nasa = nasa
        if nasa:
            self.changing = scratch / "changing" / "lesson.jsonl"
            self.changing.parent.mkdir()
            self.paths = [nasa, self.changing.parent]
            self.edit(0)
        else:
            shutil.copytree(REPO / "examples" / "corpus", scratch / "corpus")
            self.changing = sorted((scratch / "corpus").rglob("*.md"))[0]
            self.paths = [scratch / "corpus"]

    def edit(self, round_number: int) -> None:
        if self.nasa:  # the LLIS fields examples/mappings/nasa-llis.yaml reads
            record = {"lesson_number": "bench", "title": "Benchmark lesson",
                      "lesson_date": "2024-01-01", "organization": "bench",
                      "lesson_text": f"Edited in round {round_number} of the benchmark."}  # fmt: skip
            self.changing.write_text(json.dumps(record) + "\n")
            return
        with self.changing.open("a", encoding="utf-8") as file:
            file.write(f"\nEdited in round {round_number} of the generation benchmark.\n")

    def index(self, kb_dir: Path) -> None:
        kb = Path(sys.executable).with_name("kb")
        mapping = ["--mapping", str(NASA_MAPPING)] if self.nasa else []
        subprocess.run([str(kb), "index", *map(str, self.paths), *mapping, "--kb", str(kb_dir)],
                       check=True, env={**os.environ, **ENV}, stdout=subprocess.DEVNULL)  # fmt: skip


def deleted_descriptors(pid: int, kb_dir: Path) -> tuple[int, int, int]:
    """The process's descriptors to deleted files under kb_dir: how many, how many files,
    and the bytes those files keep on disk."""
    count, files = 0, {}
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
            if target.startswith(str(kb_dir)) and target.endswith(DELETED):
                found = os.stat(fd)  # follows the link to the deleted inode
                count += 1
                files[found.st_ino] = found.st_size
        except OSError:
            continue  # closed meanwhile
    return count, len(files), sum(files.values())


def deleted_mappings(pid: int, kb_dir: Path) -> tuple[int, int]:
    """Memory mappings of deleted files under kb_dir: how many, and of how many files."""
    mappings, files = 0, set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        parts = line.split(maxsplit=5)
        path = parts[5] if len(parts) == 6 else ""
        if path.startswith(str(kb_dir)) and path.endswith(DELETED):
            mappings += 1
            files.add(path)
    return mappings, len(files)


def report(label: str, pid: int, kb_dir: Path) -> None:
    count, files, size = deleted_descriptors(pid, kb_dir)
    mappings, mapped = deleted_mappings(pid, kb_dir)
    print(f"  {label}: {count} descriptors to {files} deleted files ({size / 2**20:.1f} MB "
          f"on disk), {mappings} mappings of {mapped} deleted files; "
          f"{len(os.listdir(f'/proc/{pid}/fd'))} descriptors in all; "
          f"RSS {memory_mb(pid)['VmRSS']:.0f} MB")  # fmt: skip


def send_requests(client: httpx.Client) -> None:
    with ThreadPoolExecutor(8) as pool:
        for response in pool.map(lambda url: client.get(url, timeout=60), REQUESTS * 4):
            response.raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nasa", type=Path, nargs="?", const=NASA, help="the NASA export")
    parser.add_argument("--switches", type=int, default=27)
    parser.add_argument("--idle", type=float, default=60)
    args = parser.parse_args()
    print(f"generation benchmark, code {os.environ.get('PYTHONPATH', '(installed)')}, "
          f"{args.nasa or 'examples/corpus'}, {load_average()}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-generations-") as scratch:
        corpus, kb_dir = Corpus(Path(scratch), args.nasa), Path(scratch) / "kb"
        corpus.index(kb_dir)
        with served_process(kb_dir, env=ENV) as (base, proc), httpx.Client(base_url=base) as client:
            started = time.perf_counter()
            for round_number in range(1, args.switches + 1):
                corpus.edit(round_number)
                corpus.index(kb_dir)
                send_requests(client)
            seconds = time.perf_counter() - started
            print(f"  {args.switches} generation switches in {seconds:.0f} s, "
                  f"live: {os.readlink(kb_dir / 'current')}")  # fmt: skip
            report("after the switches", proc.pid, kb_dir)
            time.sleep(args.idle)
            report(f"after {args.idle:.0f} s idle", proc.pid, kb_dir)
            hits = client.get(REQUESTS[0], timeout=60).json()
            print(f"  a search still answers: {len(hits)} hits")


if __name__ == "__main__":
    main()
