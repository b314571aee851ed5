"""File benchmark figures by machine; render docs/benchmarks.md's tables from them.

    .venv/bin/python benchmarks/report.py [--add FIGURES.jsonl] [--check]

`--add` files the JSON lines a benchmark run wrote (benchmarks/figures.py) as a new run of
this machine in benchmarks/results/<machine>.json, with today's date and `git rev-parse
--short HEAD`; the machine is its CPU model and features (/proc/cpuinfo), cores and memory.
Then every generated block of docs/benchmarks.md, from `<!-- report: SECTION -->` to
`<!-- /report -->`, is rewritten from all results files: per machine, the newest figure of
each `what`, with the date and commit it was measured on. The text around the blocks is
written by hand. `--check` writes nothing and exits 1 when the page is not what it would be.
`make bench` runs the benchmarks with BENCH_RESULTS set, then this script with `--add`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
PAGE = REPO / "docs" / "benchmarks.md"
BLOCK = re.compile(
    r"<!-- report: (?P<section>[\w-]+)(?: (?P<heading>#+))? -->\n.*?<!-- /report -->", re.S
)
# Most telling first: which of these a CPU has decides the default embedding backend.
FEATURES = (("amx_tile", "AMX"), ("avx512_bf16", "AVX512-BF16"), ("avx512f", "AVX-512"),
            ("avx2", "AVX2"))  # fmt: skip


class ReportError(ValueError):
    """A results or figures file that cannot be read; the message names it."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def this_machine(cpuinfo: str, meminfo: str, cores: int) -> dict:
    """The machine a run measures: CPU model and features, cores, memory."""
    fields = dict(re.findall(r"^(model name|flags)\s*:\s*(.*)$", cpuinfo, re.M))
    model, flags = fields.get("model name", "unknown CPU"), set(fields.get("flags", "").split())
    features = [label for flag, label in FEATURES if flag in flags]
    kb = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M).group(1))
    memory_gb = round(kb / 1024**2)
    best = features[0] if features else "no AVX2"
    return {
        "id": slug(f"{model} {best} {cores} cores {memory_gb} gb"),
        "title": f"{model} ({', '.join(features) or 'no AVX2'}), {cores} cores, {memory_gb} GB",
        "cpu": model,
        "features": features,
        "cores": cores,
        "memory_gb": memory_gb,
    }


def current_commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip()


def read_figures(path: Path) -> list[dict]:
    figures = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            figure = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReportError(f"{path}:{number}: not JSON ({exc.msg})") from None
        missing = {"section", "what", "measured"} - set(figure)
        if missing:
            raise ReportError(f"{path}:{number}: no {', '.join(sorted(missing))}")
        figures.append(figure)
    if not figures:
        raise ReportError(f"{path}: no figures (did a benchmark run with BENCH_RESULTS set?)")
    return figures


def add_run(results: Path, figures: list[dict], machine: dict, date: str, commit: str) -> Path:
    """Append a run to the machine's results file (created if new); returns its path."""
    path = results / f"{machine['id']}.json"
    record = load(path) if path.exists() else {"machine": machine, "runs": []}
    record["runs"].append({"date": date, "commit": commit, "figures": figures})
    results.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path}: not JSON ({exc})") from None
    machine = record.get("machine") if isinstance(record, dict) else None
    if not isinstance(machine, dict) or "title" not in machine or not record.get("runs"):
        raise ReportError(f"{path}: a results file has a machine with a title, and runs")
    return record


def load_all(results: Path) -> list[dict]:
    """Every machine's record; machines measured most recently first."""
    records = [load(path) for path in sorted(results.glob("*.json"))]
    return sorted(records, key=lambda r: max(run["date"] for run in r["runs"]), reverse=True)


def newest_figures(record: dict, section: str) -> list[tuple[dict, dict]]:
    """(figure, its run) per `what` of a section, the newest run winning, in first-seen order."""
    shown: dict[str, tuple[dict, dict]] = {}
    for run in sorted(record["runs"], key=lambda run: run["date"]):
        for figure in run["figures"]:
            if figure["section"] == section:
                shown[figure["what"]] = (figure, run)
    return list(shown.values())


def when(run: dict) -> str:
    code = f"commit {run['commit']}" if run.get("commit") else run.get("code", "")
    if run.get("before_commit"):
        code = f"before: commit {run['before_commit']}, after: {code}"
    text = f"{run['date']}, {code}" if code else run["date"]
    return f"{text} (recorded history)" if run.get("recorded_history") else text


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(rows: list[tuple[dict, dict]], with_when: bool) -> list[str]:
    """A Markdown table; a command shared by every row is said once above it instead."""
    has = {key for figure, _ in rows for key in ("before", "target", "command") if figure.get(key)}
    columns = ["what", *(["before"] if "before" in has else []), "measured",
               *[key for key in ("target", "command") if key in has]]  # fmt: skip
    if len({figure.get("command", "") for figure, _ in rows}) == 1 and "command" in columns:
        columns.remove("command")
    headers = ["after" if c == "measured" and "before" in has else c for c in columns]
    headers += ["when"] * with_when
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    for figure, run in rows:
        values = [figure.get(column, "") for column in columns]
        values = [
            f"`{v}`" if c == "command" and v else v for c, v in zip(columns, values, strict=True)
        ]
        values += [when(run)] * with_when
        lines.append("| " + " | ".join(cell(value) for value in values) + " |")
    return lines


def busy(figure: dict, cores: int) -> dict:
    """The figure, its `measured` saying the load average if other jobs kept the cores busy."""
    load = figure.get("load_average") or 0
    if load < cores:
        return figure
    return {**figure, "measured": f"{figure['measured']} (load average {load:g} on {cores} cores)"}


def machine_block(record: dict, section: str, heading: str | None) -> list[str]:
    cores = record["machine"].get("cores") or 1
    rows = [(busy(figure, cores), run) for figure, run in newest_figures(record, section)]
    if not rows:
        return []
    runs = list({id(run): run for _, run in rows}.values())
    title = record["machine"]["title"]
    lines = [f"{heading} {title}", ""] if heading else [f"**{title}**", ""]
    commands = {figure.get("command", "") for figure, _ in rows}
    shared = commands.pop() if len(commands) == 1 else ""
    if len(runs) == 1:
        lines += [f"Measured {when(runs[0])}" + (f", by `{shared}`." if shared else "."), ""]
    elif shared:
        lines += [f"Measured by `{shared}`.", ""]
    lines += table(rows, with_when=len(runs) > 1)
    for run in runs:
        for note in run.get("notes", []):
            lines += ["", note["text"]] if note["section"] == section else []
    return lines


def render(page: str, records: list[dict]) -> str:
    """The page with every generated block rewritten from the records."""

    def block(match: re.Match) -> str:
        section, heading = match.group("section"), match.group("heading")
        lines = []
        for record in records:
            lines += machine_block(record, section, heading)
            lines += [""] if lines and lines[-1] else []
        body = "\n".join(lines).strip() or "No figures yet."
        marker = f"<!-- report: {section}{' ' + heading if heading else ''} -->"
        return f"{marker}\n{body}\n<!-- /report -->"

    return BLOCK.sub(block, page)


def check_sections(page: str, records: list[dict]) -> None:
    """Every section a figure names has a block in the page (else it would be dropped)."""
    blocks = {match.group("section") for match in BLOCK.finditer(page)}
    for record in records:
        for run in record["runs"]:
            for figure in run["figures"]:
                if figure["section"] not in blocks:
                    raise ReportError(
                        f"section {figure['section']!r} of {figure['what']!r} has no "
                        f"`<!-- report: {figure['section']} -->` block in {PAGE.name}"
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", type=Path, help="JSON lines of figures from a benchmark run")
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    args = parser.parse_args()
    try:
        if args.add:
            machine = this_machine(Path("/proc/cpuinfo").read_text(),
                                   Path("/proc/meminfo").read_text(), os.cpu_count())  # fmt: skip
            date = dt.date.today().isoformat()
            path = add_run(RESULTS, read_figures(args.add), machine, date, current_commit())
            print(f"filed {args.add} as a run of {date} in {path.relative_to(REPO)}")
        records, page = load_all(RESULTS), PAGE.read_text(encoding="utf-8")
        check_sections(page, records)
        rendered = render(page, records)
    except ReportError as exc:
        sys.exit(f"report.py: {exc}")
    if args.check:
        sys.exit(0 if rendered == page else f"{PAGE} is not what report.py would write")
    PAGE.write_text(rendered, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(REPO)} from {len(records)} machines")


if __name__ == "__main__":
    main()
