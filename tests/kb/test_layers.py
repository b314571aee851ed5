"""Dependencies point one way: web -> kb -> models; kb never imports FastAPI."""

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO, markdown_doc


def _importers(pattern: str) -> set[str]:
    regex = re.compile(rf"^\s*(from|import)\s+({pattern})\b", re.M)
    return {
        str(p.relative_to(REPO)) for p in (REPO / "kb").rglob("*.py") if regex.search(p.read_text())
    }


def test_layers_kb_never_imports_the_web_stack():
    assert _importers("fastapi|starlette") == set()
    # The CLI is the composition root: only `kb serve` reaches into web/, lazily.
    assert _importers("web") == {"kb/cli/serve.py"}


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
