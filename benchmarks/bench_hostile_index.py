"""Hostile input against `kb index` and `kb validate`: exit status, time, peak memory.

Builds the hostile corpus of tests/hostile_corpus.py (every bad case beside good example
documents) and runs the commands as a user would, each under a watchdog (a time limit and a
memory ceiling on the whole process tree, the glossary-mining child included). With
`--each`, every bad case also runs alone beside the good files, to show which one stops a
run. Works against any checkout: `PYTHONPATH=/path/to/checkout python benchmarks/...`
measures that code's `kb` (the figures of issue #18 before and after).

    .venv/bin/python benchmarks/bench_hostile_index.py [--each] [--fake] [--timeout 300]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hostile_corpus import BAD_CASES, write_hostile_corpus  # noqa: E402

MEMORY_CEILING_MB = 6_000


@dataclass
class Outcome:
    status: str  # "exit 0", "exit 1", "timeout", "memory ceiling"
    seconds: float
    peak_mb: float
    output: str


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = dict(
                line.split(":", 1) for line in (entry / "status").read_text().splitlines()
            )
        except (OSError, ValueError):
            continue
        child = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(child)
        rss[child] = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0.0)
        stack.extend(children.get(current, []))
    return total


def run_watched(command: list[str], env: dict, timeout: float) -> Outcome:
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        # Run from a neutral folder: `python -c` puts the working directory first on the path.
        proc = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tempfile.gettempdir()
        )
        peak, status = 0.0, ""
        while proc.poll() is None:
            peak = max(peak, tree_rss_mb(proc.pid))
            elapsed = time.perf_counter() - started
            if elapsed > timeout or peak > MEMORY_CEILING_MB:
                status = "timeout" if elapsed > timeout else "memory ceiling"
                subprocess.run(["pkill", "-KILL", "-P", str(proc.pid)], check=False)
                proc.kill()
                proc.wait()
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    return Outcome(status or f"exit {proc.returncode}", seconds, peak, output)


def kb_command() -> list[str]:
    return [sys.executable, "-c", "from kb.cli import main; main()"]


def environment(fake: bool) -> dict:
    env = {**os.environ, "KB_PROGRESS": "0"}
    if fake:
        env["KB_EMBEDDER"] = "fake"
    return env


def named(outcome: Outcome, root: Path) -> tuple[int, int]:
    """(bad files named in the output, bad files in all)."""
    paths = [str(root / case.name) for case in BAD_CASES]
    return sum(path in outcome.output for path in paths), len(paths)


def report(label: str, outcome: Outcome, root: Path | None = None) -> None:
    line = f"{label:<28} {outcome.status:<15} {outcome.seconds:7.1f} s  peak {outcome.peak_mb:7,.0f} MiB"
    if root is not None:
        found, total = named(outcome, root)
        line += f"  bad files named {found}/{total}"
    print(line, flush=True)
    if not outcome.status.startswith("exit"):
        return
    last = [text for text in outcome.output.strip().splitlines() if text.strip()][-1:]
    if last:
        print(f"{'':<28} last line: {last[0][:150]}")


def whole_set(work: Path, env: dict, timeout: float) -> None:
    corpus = write_hostile_corpus(work / "corpus")
    validate = run_watched([*kb_command(), "validate", str(corpus.root)], env, timeout)
    report("kb validate (whole set)", validate, corpus.root)
    index = run_watched(
        [*kb_command(), "index", str(corpus.root), "--kb", str(work / "kb")], env, timeout
    )
    report("kb index (whole set)", index, corpus.root)
    tail = "\n".join(index.output.strip().splitlines()[-3:])
    print(f"{'':<28} {tail}")


def each_case(work: Path, env: dict, timeout: float) -> None:
    for case in BAD_CASES:
        root = work / f"case-{case.name}"
        corpus = write_hostile_corpus(root, good_files=3)
        for other in BAD_CASES:  # keep only this case beside the good files
            if other.name != case.name:
                _remove(corpus.root / other.name)
        outcome = run_watched(
            [*kb_command(), "index", str(corpus.root), "--kb", str(root / "kb")], env, timeout
        )
        report(f"index: {case.name}", outcome)
        shutil.rmtree(root, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--each", action="store_true", help="also each bad case alone")
    parser.add_argument("--fake", action="store_true", help="the fake embedder (no model)")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    env = environment(args.fake)
    where = subprocess.run(
        [sys.executable, "-c", "import kb; print(kb.__file__)"],
        env=env,
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"code: {Path(where).parents[1]}; model: {'fake' if args.fake else 'real'}")
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        whole_set(Path(tmp), env, args.timeout)
        if args.each:
            each_case(Path(tmp), env, args.timeout)


if __name__ == "__main__":
    main()
