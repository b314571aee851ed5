"""Two servers, one database, under load: one `kb serve`, then two, on one PostgreSQL.

    .venv/bin/python benchmarks/bench_two_servers.py [--kb DIR] [--clients 20]
        [--seconds 30] [--max-requests 100000] [--timeout 30] [--server-env NAME=VALUE ...]

Starts a throwaway PostgreSQL (tests/postgres.py), runs `kb db upgrade` on it, adds an
editor (`kb user add`) with an API token (`kb token create`), imports 20 glossary terms,
and starts two `kb serve` processes on free loopback ports over the same KB_DIR (by default
the example corpus indexed with the fake embedder; `--kb` serves another index, e.g.
.bench/nasa-index) and the same KB_DATABASE_URL. Then `--clients` threads, each with its own
connection, send a read-mostly mix back to back, first all to ONE server, then split evenly
across TWO, for `--seconds` each (or until `--max-requests`):

- 60 % searches: `/api/search` with varied queries;
- 35 % glossary reads: `/api/glossary/terms?q=`, `/api/glossary/terms/{key}`,
  `/api/glossary/expansions`, and the editors' `/api/glossary/review` with the API token;
- 5 % editor writes: a term's version from `/api/glossary/terms/{key}`, then its definition
  saved through the edit form `POST /glossary/terms/{key}/edit`, each with a unique marker.
  No write route takes an API token (Bearer works on /api only, and /api has no glossary
  write), so writes use the editor's session, signed in once on the first server: the second
  server accepts it because sessions live in the shared database. A save refused as stale
  (409: another client saved the term first) is the optimistic versioning at work, counted
  apart from errors; an error is any other status, a timeout or a connection failure.

Printed per phase: requests/s, p50/p95/p99, errors, CPU used by the servers, PostgreSQL and
the clients (this process), and the load average. Afterwards every marker of a save the
server confirmed (303) must be in the database's term history exactly once, and no refused
one may be there at all.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import random
import secrets
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import Tally as LoadTally  # noqa: E402
from common import env_pairs, load_average, percentile  # noqa: E402
from figures import emit, met  # noqa: E402
from two_servers_check import cpu_seconds, present_markers  # noqa: E402
from two_servers_setup import TERMS, Editor, deploy, sign_in, start_server  # noqa: E402

QUERIES = (
    "vendor lead times", "postmortem of the outage", "budget overrun", "onboarding new hires",
    "contract renewal missed", "customer escalation", "release rollback", "audit findings",
    "forecast accuracy", "handover between teams", "on-call fatigue", "purchase order delays",
    "hydrogen leak during fueling", "software configuration changes not tested",
    "schedule pressure and safety", "single point failure in flight hardware",
)  # fmt: skip
MIX = (("search", 60), ("glossary", 35), ("write", 5))  # per cent of operations
SPEEDUP_TARGET = 1.3


def bounded(kind, low, high):
    """An argparse type: `kind` between low and high, or a message naming the bounds."""

    def parse(value: str):
        number = kind(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
        return number

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, help="an index (default: the example corpus)")
    parser.add_argument("--clients", type=bounded(int, 1, 200), default=20)
    parser.add_argument("--seconds", type=bounded(float, 1, 600), default=30.0)
    parser.add_argument("--max-requests", type=bounded(int, 1, 1_000_000), default=100_000)
    parser.add_argument("--timeout", type=bounded(float, 0.1, 120), default=30.0,
                        help="seconds per request")  # fmt: skip
    parser.add_argument("--server-env", nargs="*", default=[], metavar="NAME=VALUE")
    return parser.parse_args(argv)


@dataclass
class Tally(LoadTally):
    """bench_load's tally, with requests counted by kind and the markers of the writes."""

    kinds: Counter = field(default_factory=Counter)
    saved: list[str] = field(default_factory=list)  # markers of confirmed saves
    refused: list[str] = field(default_factory=list)  # markers of saves refused as stale

    def record_kind(self, kind: str, milliseconds: float, error: str | None) -> None:
        self.record(milliseconds, error and f"{kind}: {error}")
        with self.lock:
            self.kinds[kind] += 1


class Client:
    """One connection sending the mix to one server until time or the budget runs out."""

    def __init__(self, number: int, base: str, editor: Editor, tally: Tally, timeout: float):
        self.name, self.editor, self.tally = f"c{number}", editor, tally
        self.rng = random.Random(number)
        self.writes = itertools.count()
        self.http = httpx.Client(base_url=base, timeout=timeout, cookies=editor.cookies)

    def run(self) -> None:
        kinds, weights = zip(*MIX, strict=True)
        with self.http:
            while self.tally.next_request():
                kind = self.rng.choices(kinds, weights)[0]
                getattr(self, kind)()

    def timed(self, kind: str, method: str, path: str, ok=(200,), **kw) -> httpx.Response | None:
        started, response, error = time.perf_counter(), None, None
        try:
            response = self.http.request(method, path, **kw)
            error = None if response.status_code in ok else f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        self.tally.record_kind(kind, (time.perf_counter() - started) * 1000, error)
        return None if error else response

    def search(self) -> None:
        query = {"q": self.rng.choice(QUERIES + TERMS), "k": 10}
        self.timed("search", "GET", f"/api/search?{urlencode(query)}")

    def glossary(self) -> None:
        pick = self.rng.randrange(4)
        if pick == 0:
            self.timed("glossary", "GET", f"/api/glossary/terms?q={quote(self.rng.choice(TERMS))}")
        elif pick == 1:
            self.timed("glossary", "GET", f"/api/glossary/terms/{quote(self.rng.choice(TERMS))}")
        elif pick == 2:
            self.timed("glossary", "GET", "/api/glossary/expansions")
        else:
            bearer = {"Authorization": f"Bearer {self.editor.token}"}
            self.timed("glossary", "GET", "/api/glossary/review?per_page=10", headers=bearer)

    def write(self) -> None:
        key = self.rng.choice(TERMS)
        read = self.timed("glossary", "GET", f"/api/glossary/terms/{quote(key)}")
        if read is None or not self.tally.next_request():
            return
        term = read.json()
        marker = f"{self.name}-{next(self.writes)}-{secrets.token_hex(4)}"
        form = {"label": term["label"], "definition": f"Edited under load: {marker}.",
                "acronym": term["acronym"], "synonyms": "\n".join(term["synonyms"]),
                "related": "\n".join(term["related"]), "owner": term["owner"],
                "status": term["status"], "version": str(term["version"]),
                "csrf_token": self.editor.csrf_token}  # fmt: skip
        path = f"/glossary/terms/{quote(key)}/edit"
        saved = self.timed("write", "POST", path, ok=(303, 409), data=form)
        if saved is not None:
            with self.tally.lock:
                (self.tally.saved if saved.status_code == 303 else self.tally.refused).append(
                    marker
                )


@dataclass
class Phase:
    name: str
    tally: Tally
    seconds: float
    cpu: dict[str, float]  # seconds of CPU per part: servers, postgres, clients


def run_phase(name: str, bases: list[str], editor: Editor, args, pids: dict) -> Phase:
    """`args.clients` clients, client i on server i mod len(bases), for `args.seconds`."""
    tally = Tally(deadline=time.monotonic() + args.seconds, max_requests=args.max_requests)
    clients = [Client(i, bases[i % len(bases)], editor, tally, args.timeout)
               for i in range(args.clients)]  # fmt: skip
    cpu_before, started = cpu_seconds(pids), time.monotonic()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        try:
            for future in [pool.submit(client.run) for client in clients]:
                future.result()
        except BaseException:  # Ctrl-C or an error: the clients stop after their request
            tally.deadline = 0
            raise
    seconds = time.monotonic() - started
    cpu_after = cpu_seconds(pids)
    return Phase(name, tally, seconds, {k: cpu_after[k] - cpu_before[k] for k in cpu_after})


def cpu_summary(phase: Phase, requests: int) -> str:
    """CPU per part, and what a request costs the servers: when other sessions take cores,
    requests/s follows the CPU the servers get, and this figure tells the two apart."""
    shares = ", ".join(f"{part} {100 * s / phase.seconds:.0f} %" for part, s in phase.cpu.items())
    per_cpu = requests / max(phase.cpu["servers"], 0.01)
    return f"{shares}; {per_cpu:.0f} requests per CPU-second of the servers"


def report(phase: Phase, index: str) -> float:
    """Print one phase's figures; return its requests/s."""
    tally, timings = phase.tally, phase.tally.timings
    rate = len(timings) / phase.seconds
    p50, p95, p99 = (percentile(timings, p) for p in (50, 95, 99))
    errors = sum(tally.errors.values())
    cores = cpu_summary(phase, len(timings))
    print(
        f"{phase.name}: {len(timings):,} requests in {phase.seconds:.1f} s, {rate:.1f} requests/s"
    )
    print(f"  latency_ms  p50 {p50:.1f}   p95 {p95:.1f}   p99 {p99:.1f}   max {max(timings):.1f}")
    print(f"  requests    {dict(tally.kinds)}; saves {len(tally.saved)}, "
          f"refused as stale {len(tally.refused)}")  # fmt: skip
    kinds = ", ".join(f"{kind} {n}" for kind, n in tally.errors.most_common()) or "none"
    print(f"  errors      {errors} ({kinds})")
    print(f"  CPU (100 % = one core of {os.cpu_count()}) {cores}; {load_average()}")
    values = {"requests": len(timings), "requests_per_s": round(rate, 1), "errors": errors,
              "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "p99_ms": round(p99, 1),
              "saves": len(tally.saved), "stale_refused": len(tally.refused),
              **{f"cpu_{part}_pct": round(100 * s / phase.seconds) for part, s in phase.cpu.items()}}  # fmt: skip
    emit(f"{phase.name}, PostgreSQL, read-mostly mix, {index}",
         f"{rate:.1f} requests/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, "
         f"{errors} errors; CPU {cores}", target=f"0 errors: {met(errors == 0)}", values=values)  # fmt: skip
    return rate


def verify(phases: list[Phase], database_url: str) -> bool:
    """Every confirmed save's marker in the history exactly once, no refused one at all."""
    saved = [m for phase in phases for m in phase.tally.saved]
    refused = [m for phase in phases for m in phase.tally.refused]
    found = present_markers(database_url)
    wrong = [m for m in saved if found[m] != 1] + [m for m in refused if found[m] != 0]
    print(f"writes: {len(saved)} confirmed saves, each in the history "
          f"{'exactly once' if not wrong else 'NOT exactly once'}; {len(refused)} refused as "
          f"stale, {'none' if not wrong else 'some'} in the history; "
          f"{sum(found.values())} edits in the history in all")  # fmt: skip
    for marker in wrong[:10]:
        print(f"  {marker}: found {found[marker]} times")
    return not wrong


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop everything on TERM too
    print(f"two servers, one database: {args.clients} clients, {args.seconds:.0f} s per phase, "
          f"{load_average()} before")  # fmt: skip
    with contextlib.ExitStack() as stack:
        deployment = deploy(stack, args.kb, env_pairs(args.server_env))
        servers = [start_server(stack, deployment) for _ in range(2)]
        bases = [base for base, _ in servers]
        editor = sign_in(deployment, bases[0])
        pids = {"servers": [pid for _, pid in servers], "postgres": deployment.postgres}
        warm_up = argparse.Namespace(**{**vars(args), "seconds": 3.0, "clients": 2})
        warm = run_phase("warm-up", bases, editor, warm_up, pids)  # model, caches, connections
        phases = [run_phase(f"{n} server{'s' * (n > 1)}, {args.clients} clients", bases[:n],
                            editor, args, pids) for n in (1, 2)]  # fmt: skip
        index = args.kb.name if args.kb else "example corpus"
        one, two = (report(phase, index) for phase in phases)
        ok = verify([warm, *phases], deployment.database_url)
    speedup = two / one
    print(f"two servers / one server: {speedup:.2f}x requests/s (target {SPEEDUP_TARGET}x)")
    errors = sum(sum(p.tally.errors.values()) for p in phases)
    good = errors == 0 and ok and speedup >= SPEEDUP_TARGET
    emit(f"two servers vs one, PostgreSQL, read-mostly mix, {index}",
         f"{speedup:.2f}x requests/s ({one:.1f} -> {two:.1f}); {errors} errors; "
         f"writes present once: {'yes' if ok else 'no'}",
         target=f"0 errors, writes once, >= {SPEEDUP_TARGET}x: {met(good)}",
         values={"speedup": round(speedup, 2), "writes_once": ok, "errors": errors})  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: the servers and PostgreSQL it started are stopped")
