"""What the access filter costs: `/api/search` p50 for an anonymous visitor, a department
reader and an admin, against the tree before access filtering, on the NASA index.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_access_cost.py --base /tmp/base \
        [--kb .bench/nasa-index] [--work .bench/access-cost] [--queries 200]

--base is a checkout of the tree before access filtering (`git worktree add --detach
/tmp/base 193ce57`); --kb the NASA index of bench_index_nasa.py (real model). NASA lessons are
all public by their mapping, which would leave the filter nothing to do, so the script first
makes a copy of the index (--work, once) re-indexed with the bundled mapping plus one rule:
each center's lessons get a level (LEVELS: about half public, a quarter internal, a quarter
restricted to their center). Only documents' metadata change: every chunk keeps its vector.

Both trees then serve that copy, each with its own state database holding the same accounts
(a reader of JSC and an admin, each with an API token; the old tree has no departments).
Queries are bench_search_http.py's; each viewer asks its own --queries of them (a server
caches a query's vector after its first request), of both servers in turns whose server
order swaps every time, after a warm-up, each request twice: "cold" (the query embedded, as
a person's search) and "warm" (its vector cached: retrieval, the filter and snippets, where
the filter's cost shows most). Printed: p50 and p95 per pass, server and viewer, the ratio
of each p50 to the old tree's for the same viewer (target within 1.2x), what each viewer may
read, and the load average at start and end.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search_http import sample_queries  # noqa: E402
from common import (  # noqa: E402
    BENCH_DIR,
    NASA,
    NASA_MAPPING,
    REPO,
    load_average,
    percentile,
    served_process,
    time_requests,
)
from figures import emit, met  # noqa: E402

TARGET = 1.2
LEVELS = {
    "public": ("ksc", "hq", "msfc", "arc", "afrc", "ssc", "ivv"),
    "internal": ("jpl", "grc", "nesc", "wstf"),
    "restricted": ("jsc", "gsfc", "larc"),
}
READER_DEPARTMENT = "JSC"
ACCOUNTS = {"reader": ("bench-reader", "reader"), "admin": ("bench-admin", "admin")}
VIEWERS = ("anonymous", "reader", "admin")
PASSES = ("cold", "warm")
PASS_HELP = {"cold": "the query embedded (as a person's search)",
             "warm": "the query's vector cached (retrieval, filter, snippets)"}  # fmt: skip
WARM_UP = 20
PASSWORD = "bench access cost passphrase"


def levels_mapping() -> dict:
    """The bundled NASA mapping, the level taken from the center (`organization`)."""
    data = yaml.safe_load(NASA_MAPPING.read_text(encoding="utf-8"))
    data["fields"]["sensitivity"] = "organization"
    data.setdefault("transforms", {})["sensitivity"] = {
        center: level for level, centers in LEVELS.items() for center in centers
    }
    data.get("defaults", {}).pop("sensitivity", None)
    return data


def make_levels_index(source: Path, target: Path) -> None:
    """A copy of the NASA index whose lessons carry LEVELS (embeddings reused, not redone)."""
    from indexer import run_index
    from kb.documents.mapping import Mapping
    from kb.settings import Settings

    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("state.sqlite*"))
    settings = Settings(kb_dir=target, progress=False, glossary_mining=False)
    mapping = Mapping.from_dict(levels_mapping(), source="levels", fingerprint="nasa-levels-v1")
    run = run_index([NASA], settings, mapping)
    if run.errors or run.chunks_embedded:
        raise SystemExit(f"re-index went wrong: {len(run.errors)} errors, "
                         f"{run.chunks_embedded} chunks embedded (expected 0)")  # fmt: skip
    print(f"levels index at {target}: {run.documents_indexed} documents re-levelled, "
          f"{run.chunks_reused} chunks reused, {run.seconds:.1f} s")  # fmt: skip


def kb_cli(tree: Path, env: dict, *args: str, stdin: str = "") -> str:
    """`kb ARGS` run from `tree`'s code; its standard output."""
    command = [sys.executable, "-c", "from kb.cli import main; main()", *args]
    full_env = {**os.environ, **env, "PYTHONPATH": str(tree)}
    done = subprocess.run(command, input=stdin, env=full_env, cwd=tree, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode:
        raise SystemExit(f"kb {' '.join(args)} ({tree}) failed: {done.stderr.strip()}")
    return done.stdout


def tokens_for(tree: Path, kb_dir: Path, env: dict, departments: bool) -> dict[str, str]:
    """The Authorization header of each viewer on a server of `tree` (anonymous: none)."""
    kb = ("--kb", str(kb_dir))
    kb_cli(tree, env, "db", "upgrade", *kb)
    headers = {"anonymous": {}}
    for viewer, (name, role) in ACCOUNTS.items():
        extra = ("--department", READER_DEPARTMENT) if departments and role == "reader" else ()
        kb_cli(tree, env, "user", "add", name, "--role", role, *extra, "--password-stdin", *kb,
               stdin=PASSWORD + "\n")  # fmt: skip
        token = kb_cli(tree, env, "token", "create", name, *kb).splitlines()[0].strip()
        headers[viewer] = {"Authorization": f"Bearer {token}"}
    return headers


def readable_counts(client: httpx.Client, headers: dict) -> dict[str, int]:
    return {
        viewer: client.get("/api/info", headers=headers[viewer]).json()["counts"]["documents"]
        for viewer in VIEWERS
    }


def measure(clients: dict, headers: dict, urls: dict[str, list[str]]) -> dict[tuple, list]:
    """Milliseconds per (pass, server, viewer). Each viewer asks its own queries (a query's
    vector is cached after its first request), each of both servers, in turns that swap
    the servers' order every time; each request is sent twice: "cold" (the query embedded)
    and "warm" (its vector cached: retrieval, the filter and snippets only)."""
    timings = {(p, s, v): [] for p in PASSES for s in clients for v in VIEWERS}
    order = list(clients)
    for turn in range(min(map(len, urls.values()))):
        for viewer in VIEWERS:
            order.reverse()
            for server in order:
                client = clients[server]
                client.headers.clear()
                client.headers.update(headers[server][viewer])
                cold, warm = time_requests(client, [urls[viewer][turn]] * 2)
                timings["cold", server, viewer].append(cold)
                timings["warm", server, viewer].append(warm)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="checkout of the old tree")
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "access-cost")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    levels_kb = args.work / "nasa-levels"
    if not (levels_kb / "current").exists():
        if not (args.kb / "current").exists():
            raise SystemExit(f"no NASA index at {args.kb}: run benchmarks/bench_index_nasa.py")
        args.work.mkdir(parents=True, exist_ok=True)
        make_levels_index(args.kb, levels_kb)
    trees = {"before": args.base.resolve(), "after": REPO}
    queries = sample_queries(len(VIEWERS) * (args.queries + WARM_UP))
    urls = [f"/api/search?{urlencode({'q': q, 'k': args.k})}" for q in queries]
    warm_up = {v: urls[n :: len(VIEWERS)][:WARM_UP] for n, v in enumerate(VIEWERS)}
    measured = {v: urls[n :: len(VIEWERS)][WARM_UP:] for n, v in enumerate(VIEWERS)}
    print(
        f"/api/search cost of access filtering, {levels_kb}, {args.queries} queries per viewer, k={args.k}"
    )
    print(f"  at start: {load_average()}")
    with contextlib.ExitStack() as stack:
        clients, headers = {}, {}
        for server, tree in trees.items():
            env = {"KB_DATABASE_URL": f"sqlite:///{args.work / f'state-{server}.sqlite'}"}
            fresh_state(args.work, server)
            headers[server] = tokens_for(tree, levels_kb, env, departments=server == "after")
            base, _ = stack.enter_context(
                served_process(levels_kb, env={**env, "PYTHONPATH": str(tree)})
            )
            clients[server] = stack.enter_context(httpx.Client(base_url=base, timeout=60))
        print(
            f"  documents each may read (after): {readable_counts(clients['after'], headers['after'])}"
        )
        measure(clients, headers, warm_up)  # the model, SQLite pages
        timings = measure(clients, headers, measured)
    report(timings, args.queries, args.k)


def fresh_state(work: Path, server: str) -> None:
    for path in work.glob(f"state-{server}.sqlite*"):
        path.unlink()


def report(timings: dict[tuple, list[float]], queries: int, k: int) -> None:
    p50 = {key: percentile(values, 50) for key, values in timings.items()}
    ratios = {(p, v): p50[p, "after", v] / p50[p, "before", v] for p in PASSES for v in VIEWERS}
    for phase in PASSES:
        print(f"  {phase}: {PASS_HELP[phase]}")
        for viewer in VIEWERS:
            before, after = timings[phase, "before", viewer], timings[phase, "after", viewer]
            print(f"    {viewer:<10} before p50 {percentile(before, 50):6.1f} p95 "
                  f"{percentile(before, 95):6.1f} ms   after p50 {percentile(after, 50):6.1f} "
                  f"p95 {percentile(after, 95):6.1f} ms   ratio {ratios[phase, viewer]:.2f}")  # fmt: skip
    print(f"  at end: {load_average()}")
    shown = [v for v in VIEWERS if v != "admin"]  # an admin's search has no access filter
    emit(
        "NASA `/api/search` p50 with access filtering against before, per viewer",
        "; ".join(
            f"{v} {p50['cold', 'after', v]:.1f} ms ({ratios['cold', v]:.2f}x, "
            f"{ratios['warm', v]:.2f}x with the query's vector cached)"
            for v in shown
        ),
        target=f"within {TARGET}x: {met(max(ratios['cold', v] for v in shown) <= TARGET)}",
        values={
            "p50_ms": {"/".join(key): round(p, 1) for key, p in p50.items()},
            "ratios": {"/".join(key): round(r, 3) for key, r in ratios.items()},
            "queries": queries,
            "k": k,
            "levels": LEVELS,
        },  # fmt: skip
    )


if __name__ == "__main__":
    main()
