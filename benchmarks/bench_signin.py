"""Sign-in under attack: wrong passwords in a loop, then concurrent guessers beside a searcher.

    .venv/bin/python benchmarks/bench_signin.py [--kb DIR] [--wrong 200] [--guessers 16]

Serves a private copy of the index at --kb (built from examples/corpus if missing) with one
editor added, through `kb serve` in a child process: set PYTHONPATH to the tree to measure
(old or new code; this script talks HTTP and reads /proc only). Two phases, each on a fresh
server so that one phase's locks do not carry into the next:

1. one client posts --wrong wrong passwords in a row: how many were checked (401) and how
   many refused (429), and in how many seconds;
2. --guessers clients, each from its own loopback address (127.0.0.x) and guessing its own
   user name (or all --name's password, e.g. bench-editor), post wrong passwords as fast as
   they are answered for --seconds, while another client searches: the server's peak
   resident memory (sampled from /proc every 20 ms), its CPU time and the searcher's
   /api/search p50, against the same searcher alone beforehand.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, REPO, load_average, percentile, served_process  # noqa: E402

USER, PASSWORD, WRONG = "bench-editor", "correct horse battery", "wrong password"
QUERIES = [
    "vendor lead times",
    "customer escalation handling",
    "budget overrun",
    "onboarding new hires",
    "contract renewal missed",
    "incident response after outage",
]
TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


def ensure_index(kb_dir: Path) -> None:
    if not (kb_dir / "current").exists():
        print(f"building {kb_dir} from examples/corpus first ...", flush=True)
        kb = Path(sys.executable).with_name("kb")
        subprocess.run([str(kb), "index", str(REPO / "examples" / "corpus"), "--kb", str(kb_dir)],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip


def private_copy(kb_dir: Path, scratch: Path) -> Path:
    """The index under scratch, with USER added (the original's glossary is not touched)."""
    copy = scratch / "kb"
    shutil.copytree(kb_dir, copy, symlinks=True)
    for name in ("glossary.sqlite", "state.sqlite", "state.sqlite-wal", "state.sqlite-shm"):
        (copy / name).unlink(missing_ok=True)
    kb = Path(sys.executable).with_name("kb")
    subprocess.run([str(kb), "user", "add", USER, "--role", "editor", "--password-stdin",
                    "--kb", str(copy)], input=PASSWORD + "\n", text=True, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return copy


class Guesser:
    """A sign-in form client from one source address."""

    def __init__(self, base: str, address: str = "127.0.0.1"):
        transport = httpx.HTTPTransport(local_address=address)
        self.client = httpx.Client(base_url=base, transport=transport, timeout=120)
        self.token = TOKEN.search(self.client.get("/login").text).group(1)

    def attempt(self, name: str, password: str) -> int:
        data = {"name": name, "password": password, "csrf_token": self.token}
        return self.client.post("/login", data=data).status_code


def wrong_in_a_row(base: str, count: int) -> None:
    guesser = Guesser(base)
    started = time.perf_counter()
    answers = Counter(guesser.attempt(USER, WRONG) for _ in range(count))
    seconds = time.perf_counter() - started
    print(f"  {count} wrong passwords in a row: {answers[401]} checked (401), "
          f"{answers[429]} refused (429), other {sum(answers.values()) - answers[401] - answers[429]}; "
          f"{seconds:.1f} s")  # fmt: skip


class RssSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_mb = max(self.peak_mb, rss_mb(self.pid))
            time.sleep(0.02)


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def cpu_seconds(pid: int) -> float:
    """User and system time the process has used (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def search_timings(base: str, stop: threading.Event, minimum: int = 0) -> list[float]:
    timings: list[float] = []
    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set() or len(timings) < minimum:
            # A number makes each query new: the model embeds it (repeats hit its cache).
            query = f"{QUERIES[len(timings) % len(QUERIES)]} {len(timings)}"
            started = time.perf_counter()
            client.get(f"/api/search?{urlencode({'q': query, 'k': 10})}").raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def timed_searches(base: str, seconds: float) -> list[float]:
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    return search_timings(base, stop, minimum=5)


def guess(base: str, number: int, name: str, stop: threading.Event, answers: Counter) -> None:
    guesser = Guesser(base, f"127.0.0.{10 + number}")
    while not stop.is_set():
        answers[guesser.attempt(name or f"victim-{number}", WRONG)] += 1


def guessers_process(base: str, guessers: int, name: str, seconds: float, results) -> None:
    """The guessers, in a process of their own: their client work must not slow the
    searcher's measurements through this process's GIL."""
    stop, answers = threading.Event(), Counter()
    threads = [
        threading.Thread(target=guess, args=(base, n, name, stop, answers)) for n in range(guessers)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    times = os.times()
    results.put((dict(answers), times.user + times.system))


def under_attack(base: str, pid: int, guessers: int, name: str, seconds: float) -> None:
    alone = timed_searches(base, 5)
    rss_before = rss_mb(pid)
    sampler, results = RssSampler(pid), multiprocessing.Queue()
    attack = multiprocessing.Process(
        target=guessers_process, args=(base, guessers, name, seconds, results)
    )
    sampler.start()
    server_cpu = cpu_seconds(pid)
    attack.start()
    during = timed_searches(base, seconds)
    answers, guessers_cpu = results.get()
    answers, server_cpu = Counter(answers), cpu_seconds(pid) - server_cpu
    attack.join()
    sampler.stop.set()
    sampler.join()
    print(f"  {guessers} concurrent guessers for {seconds:.0f} s: {answers[401]} checked (401), "
          f"{answers[429]} refused (429), other {sum(answers.values()) - answers[401] - answers[429]}")  # fmt: skip
    print(f"  server RSS {rss_before:.0f} MB before, peak {sampler.peak_mb:.0f} MB during; "
          f"CPU seconds meanwhile: server {server_cpu:.1f}, guessers {guessers_cpu:.1f}")  # fmt: skip
    print(f"  /api/search p50 {percentile(alone, 50):.0f} ms alone ({len(alone)} searches), "
          f"{percentile(during, 50):.0f} ms during ({len(during)} searches, "
          f"p95 {percentile(during, 95):.0f} ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "examples-index")
    parser.add_argument("--wrong", type=int, default=200)
    parser.add_argument("--guessers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--name", default="", help="all guessers guess this user's password")
    args = parser.parse_args()
    ensure_index(args.kb)
    tree = os.environ.get("PYTHONPATH", "(installed)")
    print(f"sign-in benchmark, code {tree}, index {args.kb}, {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-signin-") as scratch:
        copy = private_copy(args.kb, Path(scratch))
        with served_process(copy) as (base, _):
            wrong_in_a_row(base, args.wrong)
        with served_process(copy) as (base, proc):
            under_attack(base, proc.pid, args.guessers, args.name, args.seconds)


if __name__ == "__main__":
    main()
