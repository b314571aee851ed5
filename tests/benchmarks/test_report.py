"""benchmarks/figures.py and report.py: figures filed by machine, the page's tables rendered."""

from __future__ import annotations

import json

import pytest

from benchmarks.figures import ENV, emit
from benchmarks.report import (
    PAGE,
    RESULTS,
    ReportError,
    add_run,
    check_sections,
    load_all,
    read_figures,
    render,
    this_machine,
)

CPUINFO = (
    "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold\nflags\t\t: fpu avx2 avx512f amx_tile\n"
)
MEMINFO = "MemTotal:       24683784 kB\nMemFree:        1000 kB\n"
TEMPLATE = (
    "# Figures\n\nBy hand.\n\n<!-- report: speed ### -->\nold text\n<!-- /report -->\n\nEnd.\n"
)


def figure(what: str, measured: str, **more) -> dict:
    return {"section": "speed", "what": what, "measured": measured, **more}


def test_report_names_the_machine_by_cpu_features_cores_and_memory():
    machine = this_machine(CPUINFO, MEMINFO, cores=2)
    assert machine["title"] == "Intel(R) Xeon(R) Gold (AMX, AVX-512, AVX2), 2 cores, 24 GB"
    assert machine["id"] == "intel-r-xeon-r-gold-amx-2-cores-24-gb"


def test_report_emit_writes_json_lines_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    emit("nothing", "written")
    out = tmp_path / "figures.jsonl"
    monkeypatch.setenv(ENV, str(out))
    emit("DOCX reading", "0.15 s", target="fast: met", values={"s": 0.15})
    emit("load test", "0 errors")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["what"] for r in rows] == ["DOCX reading", "load test"]
    assert rows[0]["values"] == {"s": 0.15} and rows[0]["section"] == "speed"
    assert read_figures(out) == rows


def test_report_renders_the_newest_figure_of_each_kind(tmp_path):
    machine = this_machine(CPUINFO, MEMINFO, cores=2)
    add_run(tmp_path, [figure("index", "50 s", command="a.py"), figure("search", "9 ms")],
            machine, "2026-01-01", "aaaaaaa")  # fmt: skip
    add_run(tmp_path, [figure("index", "40 s", command="a.py --fast")], machine, "2026-02-01",
            "bbbbbbb")  # fmt: skip
    page = render(TEMPLATE, load_all(tmp_path))
    assert page.startswith("# Figures\n\nBy hand.\n\n") and page.endswith("\n\nEnd.\n")
    assert "old text" not in page and "50 s" not in page
    assert f"### {machine['title']}" in page
    assert "| what | measured | command | when |" in page  # rows of two runs: a "when" column
    assert "| index | 40 s | `a.py --fast` | 2026-02-01, commit bbbbbbb |" in page
    assert "| search | 9 ms |  | 2026-01-01, commit aaaaaaa |" in page
    assert render(page, load_all(tmp_path)) == page  # rendering again changes nothing


def test_report_one_run_is_dated_once_above_its_table(tmp_path):
    machine = this_machine(CPUINFO, MEMINFO, cores=2)
    rows = [figure("a", "1 s", before="9 s", command="x.py"), figure("b", "2 s", command="x.py")]
    add_run(tmp_path, rows, machine, "2026-03-01", "ccccccc")
    page = render(TEMPLATE, load_all(tmp_path))
    assert "Measured 2026-03-01, commit ccccccc, by `x.py`." in page
    assert "| what | before | after |" in page and "| a | 9 s | 1 s |" in page


def test_report_refuses_bad_input_naming_where(tmp_path):
    bad = tmp_path / "figures.jsonl"
    bad.write_text('{"section": "speed", "what": "a", "measured": "1"}\n{not json\n')
    with pytest.raises(ReportError, match=r"figures.jsonl:2: not JSON"):
        read_figures(bad)
    bad.write_text('{"section": "speed", "what": "a"}\n')
    with pytest.raises(ReportError, match=r"figures.jsonl:1: no measured"):
        read_figures(bad)
    results = tmp_path / "results"
    add_run(results, [figure("a", "1")], this_machine(CPUINFO, MEMINFO, 2), "2026-01-01", "c")
    with pytest.raises(ReportError, match="section 'speed' of 'a' has no"):
        check_sections("no blocks here\n", load_all(results))
    (results / "broken.json").write_text("{}")
    with pytest.raises(ReportError, match="broken.json"):
        load_all(results)


def test_report_docs_page_is_what_the_results_render():
    # The tables of docs/benchmarks.md come from benchmarks/results/ alone: no hand edits.
    text = PAGE.read_text(encoding="utf-8")
    records = load_all(RESULTS)
    check_sections(text, records)
    assert render(text, records) == text, "run `.venv/bin/python benchmarks/report.py`"


def test_report_says_when_the_machine_was_busy(tmp_path):
    machine = this_machine(CPUINFO, MEMINFO, cores=2)
    rows = [figure("idle", "1 s", load_average=0.5), figure("busy", "2 s", load_average=6.9)]
    add_run(tmp_path, rows, machine, "2026-03-01", "ccccccc")
    page = render(TEMPLATE, load_all(tmp_path))
    assert "| idle | 1 s |" in page
    assert "| busy | 2 s (load average 6.9 on 2 cores) |" in page
