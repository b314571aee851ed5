"""`kb glossary extract` and `kb eval terms` through Typer's CliRunner."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

import models.nlp
from kb.cli import app
from tests.indexer.terms.support import FakeNlp

runner = CliRunner()
TEXTS = {
    "a.txt": "The wind turbine failed. The rotor blade cracked. A wind turbine rotor blade.",
    "b.txt": "We replaced the rotor blade of the wind turbine and the pitch system.",
    "notes/c.md": "Pitch system faults stop the wind turbine.",
}


@pytest.fixture
def folder(tmp_path):
    for name, text in TEXTS.items():
        (tmp_path / "texts" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "texts" / name).write_text(text)
    (tmp_path / "gold.tsv").write_text("wind turbine\tSpecific_Term\nrotor blade\tSpecific_Term\n")
    return tmp_path


@pytest.fixture
def fake_nlp(monkeypatch):
    monkeypatch.setattr(models.nlp, "load_spacy", lambda *a, **k: FakeNlp())


def test_extract_writes_ranked_unique_lowercased_terms(folder, fake_nlp):
    out = folder / "terms.txt"
    result = runner.invoke(app, ["glossary", "extract", str(folder / "texts"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    terms = out.read_text().splitlines()
    assert "wind turbine" in terms and len(terms) == len(set(terms))
    assert all(term == term.lower() for term in terms)


def test_extract_limit_and_all(folder, fake_nlp):
    out = folder / "terms.txt"
    runner.invoke(app, ["glossary", "extract", str(folder / "texts"), "--out", str(out), "--all"])
    everything = out.read_text().splitlines()
    runner.invoke(
        app, ["glossary", "extract", str(folder / "texts"), "--out", str(out), "--limit", "2"]
    )
    assert out.read_text().splitlines() == everything[:2]


def test_extract_rejects_a_missing_folder(folder):
    result = runner.invoke(app, ["glossary", "extract", str(folder / "nope"), "--out", "x.txt"])
    assert result.exit_code == 2


def test_eval_terms_prints_precision_recall_f1(folder, fake_nlp):
    args = ["eval", "terms", "--texts", str(folder / "texts"), "--gold", str(folder / "gold.tsv")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = dict(line.split(maxsplit=1) for line in result.output.splitlines())
    assert set(lines) == {"precision", "recall", "f1", "candidates", "gold"}
    assert lines["gold"] == "2" and float(lines["recall"]) == 1.0


def test_importing_the_cli_fragment_does_not_import_the_indexer():
    code = "import sys, kb.cli.terms; assert 'indexer' not in sys.modules; assert 'spacy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
def test_extract_with_the_real_pipeline(folder):
    out = folder / "terms.txt"
    result = runner.invoke(app, ["glossary", "extract", str(folder / "texts"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {"wind turbine", "rotor blade"} <= set(out.read_text().splitlines())
