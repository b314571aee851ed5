"""Benchmark figures as JSON lines, for benchmarks/report.py to file by machine and render.

A script calls `emit(...)` beside the lines it prints. When the environment variable
BENCH_RESULTS names a file, each figure is appended to it as one JSON line (`make bench`
sets it; `BENCH_RESULTS=/dev/stdout` prints them); otherwise the script only prints.

One figure is one row of a table in docs/benchmarks.md: `what` was measured, `measured`
says the result as a person reads it, `target` the goal from the issues (and whether it was
met), `values` the same numbers for machines. A newer figure with the same `section` and
`what` replaces the older one in the page, so keep `what` stable. The machine's load average goes
with each figure: other jobs on the cores slow a benchmark down, and the page says so.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ENV = "BENCH_RESULTS"


def command_line() -> str:
    """The script and its arguments, as the page's "command" column shows them."""
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])


def emit(
    what: str, measured: str, *, target: str = "", section: str = "speed", values: dict = None
) -> None:
    """Append one figure to $BENCH_RESULTS, if it is set."""
    path = os.environ.get(ENV)
    if not path:
        return
    figure = {"section": section, "what": what, "measured": measured, "target": target,
              "command": command_line(), "values": values or {},
              "load_average": round(os.getloadavg()[0], 2)}  # fmt: skip
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(figure, ensure_ascii=False) + "\n")


def met(ok: bool) -> str:
    """The page's wording for a target: met, or not met in bold."""
    return "met" if ok else "**not met**"
