"""The layers hold: web -> kb -> models and indexer -> kb, models; kb/cli/ wires them together.

The rules are import-linter contracts in pyproject.toml (`make lint` runs them too). These
tests run them on the tree, and on a copy with a breach of each rule, to show they catch it.
"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO, markdown_doc

LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
# One breach of each contract, each in a module of its own.
BREACHES = {
    "models/breach.py": "import kb.documents.records\n",
    "kb/breach.py": "import indexer.discover\nimport fastapi\n",
    "kb/search/breach.py": "import kb.cli\n",
    "web/breach.py": "import indexer.discover\n",
    "kb/breach_a.py": "import kb.breach_b\n",
    "kb/breach_b.py": "import kb.breach_a\n",
}


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
    )


def test_layers_import_contracts_hold():
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_contracts_catch_a_breach_of_each_rule(tmp_path):
    skip = shutil.ignore_patterns("__pycache__", "static", "templates")
    for package in ("kb", "indexer", "web", "models"):
        shutil.copytree(REPO / package, tmp_path / package, ignore=skip)
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    for path, code in BREACHES.items():
        (tmp_path / path).write_text(code)
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    for contract in config["tool"]["importlinter"]["contracts"]:
        assert f"{contract['name']} BROKEN" in result.stdout
    assert "kb.breach -> indexer.discover" in result.stdout
    assert "kb.breach -> fastapi" in result.stdout


def test_layers_the_cli_starts_without_fastapi_or_torch():
    code = "import sys, kb.cli; print(sorted(m for m in ('fastapi', 'torch') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.slow  # the real model: the fake embedder is not loaded lazily, numpy comes with it
def test_layers_an_unchanged_index_run_imports_no_array_or_model_library(write_doc, tmp_path):
    # `kb index` on an unchanged corpus should cost little more than Python's start: numpy
    # alone was a fifth of it, faiss and spaCy more.
    write_doc("a.md", markdown_doc())
    args = ["index", str(tmp_path / "docs"), "--kb", str(tmp_path / "kb")]
    code = (
        "import sys; from kb.cli import app; app(sys.argv[1:], standalone_mode=False); "
        "print(sorted(m for m in ('numpy', 'faiss', 'spacy', 'torch') if m in sys.modules))"
    )
    env = dict(os.environ, KB_PROGRESS="false", KB_GLOSSARY_MINING="false")
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            check=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    assert "numpy" in runs[0].stdout  # the first run embeds and writes
    assert "unchanged: nothing to publish" in runs[1].stdout
    assert runs[1].stdout.strip().splitlines()[-1] == "[]"
