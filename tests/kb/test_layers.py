"""Dependencies point one way: web -> kb -> models; kb never imports FastAPI."""

import re
import subprocess
import sys

from tests.conftest import REPO


def _importers(pattern: str) -> set[str]:
    regex = re.compile(rf"^\s*(from|import)\s+({pattern})\b", re.M)
    return {
        str(p.relative_to(REPO)) for p in (REPO / "kb").rglob("*.py") if regex.search(p.read_text())
    }


def test_layers_kb_never_imports_the_web_stack():
    assert _importers("fastapi|starlette") == set()
    # The CLI is the composition root: only `kb serve` reaches into web/, lazily.
    assert _importers("web") == {"kb/cli.py"}


def test_layers_the_cli_starts_without_fastapi_or_torch():
    code = "import sys, kb.cli; print(sorted(m for m in ('fastapi', 'torch') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert out.stdout.strip() == "[]"
