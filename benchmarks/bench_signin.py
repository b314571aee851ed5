"""Sign-in under attack: wrong passwords in a loop, two servers on one state database, then
concurrent guessers beside a searcher.

    .venv/bin/python benchmarks/bench_signin.py [--kb DIR] [--wrong 200] [--patient 60]
        [--guessers 16]

Serves a private copy of the index at --kb (built from examples/corpus if missing) with one
editor added, through `kb serve` in child processes: set PYTHONPATH to the tree to measure
(old or new code; this script talks HTTP and reads /proc only; the two-server phase uses
tests/postgres.py). Each phase has a fresh copy and state database, so that one phase's
failures and locks do not carry into the next:

1. one client posts --wrong wrong passwords in a row: how many were checked (401) and how
   many refused (429), in how many seconds, and whether all of them were checked within a
   minute; then a patient client, waiting whatever Retry-After says, for --patient seconds;
2. two servers on one state database (PostgreSQL if installed, else one SQLite file): a
   patient client alternating its guesses between them, from a different address on each,
   until the account is locked or --wrong guesses: the checks each server made, and
   whether the other server refuses too (the account counted once across both);
3. --guessers clients, each from its own loopback address (127.0.0.x) and guessing its own
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


def private_copy(kb_dir: Path, copy: Path, env: dict | None = None) -> Path:
    """The index at `copy`, with USER added to its state database (the default one in the
    copy, or KB_DATABASE_URL in `env`, upgraded first); the original is not touched."""
    shutil.copytree(kb_dir, copy, symlinks=True)
    for name in ("glossary.sqlite", "state.sqlite", "state.sqlite-wal", "state.sqlite-shm"):
        (copy / name).unlink(missing_ok=True)
    kb, env = Path(sys.executable).with_name("kb"), {**os.environ, **(env or {})}
    subprocess.run([str(kb), "db", "upgrade", "--kb", str(copy)], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([str(kb), "user", "add", USER, "--role", "editor", "--password-stdin",
                    "--kb", str(copy)], input=PASSWORD + "\n", text=True, check=True,
                   stdout=subprocess.DEVNULL, env=env)  # fmt: skip
    return copy


class Guesser:
    """A sign-in form client from one source address."""

    def __init__(self, base: str, address: str = "127.0.0.1"):
        transport = httpx.HTTPTransport(local_address=address)
        self.client = httpx.Client(base_url=base, transport=transport, timeout=120)
        self.token = TOKEN.search(self.client.get("/login").text).group(1)

    def attempt(self, name: str, password: str) -> int:
        return self.post(name, password).status_code

    def post(self, name: str, password: str) -> httpx.Response:
        data = {"name": name, "password": password, "csrf_token": self.token}
        return self.client.post("/login", data=data, headers={"Accept": "application/json"})


def wrong_in_a_row(base: str, count: int) -> None:
    guesser = Guesser(base)
    started = time.perf_counter()
    answers = Counter(guesser.attempt(USER, WRONG) for _ in range(count))
    seconds = time.perf_counter() - started
    print(f"  {count} wrong passwords in a row: {answers[401]} checked (401), "
          f"{answers[429]} refused (429), other {sum(answers.values()) - answers[401] - answers[429]}; "
          f"{seconds:.1f} s")  # fmt: skip
    all_checked = answers[401] == count and seconds <= 60
    print(f"  all {count} checked within a minute: {'YES' if all_checked else 'NO'} "
          f"({answers[401]} checked in {seconds:.1f} s)")  # fmt: skip


def patient_guesses(guessers: list[Guesser], count: int, seconds: float) -> tuple[Counter, str]:
    """Wrong passwords for USER, taking turns among `guessers` and waiting whatever
    Retry-After asks, until a lock, `count` guesses or `seconds`: checks per guesser, and
    the last refusal's reason."""
    checked, reason, deadline = Counter(), "", time.monotonic() + seconds
    for number in range(count):
        turn = number % len(guessers)
        answer = guessers[turn].post(USER, WRONG)
        while answer.status_code == 429 and answer.json()["reason"] != "locked":
            wait = int(answer.headers["Retry-After"])
            if time.monotonic() + wait > deadline:
                return checked, answer.json()["reason"]
            time.sleep(wait)
            answer = guessers[turn].post(USER, WRONG)
        if answer.status_code == 429:
            return checked, "locked"
        checked[turn] += answer.status_code == 401
    return checked, reason


def patient_alone(base: str, count: int, seconds: float) -> None:
    started = time.perf_counter()
    checked, reason = patient_guesses([Guesser(base, "127.0.0.2")], count, seconds)
    after = {"slowed": "told to wait past the limit", "locked": "locked"}.get(reason, "done")
    print(f"  a patient guesser waiting as told, for at most {seconds:.0f} s: {checked[0]} "
          f"checked in {time.perf_counter() - started:.0f} s, then {after}")  # fmt: skip


def answer_of(response: httpx.Response) -> str:
    """429's reason (locked, slowed, busy), else the status code."""
    return response.json()["reason"] if response.status_code == 429 else str(response.status_code)


def state_database() -> tuple[str, object]:
    """(KB_DATABASE_URL, the PostgreSQL server to stop or None): PostgreSQL if installed."""
    sys.path.insert(0, str(REPO))
    from tests.postgres import PostgresServer, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        return "", None
    server = PostgresServer(bin_dir)
    return server.create_database(), server


def two_servers(kb_dir: Path, scratch: Path, count: int) -> None:
    url, postgres = state_database()
    url = url or f"sqlite:///{scratch / 'shared-state.sqlite'}"
    env = {"KB_DATABASE_URL": url}
    print(f"  state database: {'PostgreSQL' if postgres else 'one SQLite file'}")
    copy = private_copy(kb_dir, scratch / "kb-shared", env)
    try:
        with served_process(copy, env=env) as (one, _), served_process(copy, env=env) as (two, _):
            guessers = [Guesser(one, "127.0.0.3"), Guesser(two, "127.0.0.4")]
            started = time.perf_counter()
            checked, reason = patient_guesses(guessers, count, 600)
            seconds = time.perf_counter() - started
            refused = [answer_of(guesser.post(USER, PASSWORD)) for guesser in guessers]
    finally:
        if postgres:
            postgres.stop()
    print(f"  a patient guesser alternating between two servers: {checked[0]} + {checked[1]} "
          f"checked in {seconds:.0f} s, then {reason or 'done'}; "
          f"the right password then: {' / '.join(map(str, refused))} on the two servers")  # fmt: skip


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
    parser.add_argument("--patient", type=float, default=60, help="seconds; 0 skips")
    parser.add_argument("--guessers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--name", default="", help="all guessers guess this user's password")
    args = parser.parse_args()
    ensure_index(args.kb)
    tree = os.environ.get("PYTHONPATH", "(installed)")
    print(f"sign-in benchmark, code {tree}, index {args.kb}, {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-signin-") as name:
        scratch = Path(name)
        print("1. one server")
        with served_process(private_copy(args.kb, scratch / "kb-1")) as (base, _):
            wrong_in_a_row(base, args.wrong)
        if args.patient:
            with served_process(private_copy(args.kb, scratch / "kb-1p")) as (base, _):
                patient_alone(base, args.wrong, args.patient)
        print("2. two servers on one state database")
        two_servers(args.kb, scratch, args.wrong)
        print("3. concurrent guessers beside a searcher")
        with served_process(private_copy(args.kb, scratch / "kb-3")) as (base, proc):
            under_attack(base, proc.pid, args.guessers, args.name, args.seconds)


if __name__ == "__main__":
    main()
