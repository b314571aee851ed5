"""pyproject.toml declares every third-party package the code imports, where it is used.

A package that only arrives as another's dependency (scipy through scikit-learn, lxml
through python-docx) works until that package drops it; CI installs only what is declared.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from tests.conftest import REPO

OURS = {"kb", "indexer", "models", "web", "tests", "benchmarks"}
RUNTIME = ("dependencies",)
DEVELOPMENT = ("dependencies", "dev")
# Which groups of pyproject.toml may provide the imports of each folder ...
EXTRAS_BY_FOLDER = {"kb": RUNTIME, "indexer": RUNTIME, "models": RUNTIME, "web": RUNTIME,
                    "benchmarks": DEVELOPMENT, "tests": DEVELOPMENT}  # fmt: skip
# ... and of the modules that are no part of a running Lessonbase.
EXTRAS_BY_MODULE = {"indexer/terms/train.py": ("dependencies", "train")}  # retrains the model
# txtai runs in its own venv (benchmarks/setup_txtai.sh), never in the project's.
OWN_VENV = {"benchmarks/txtai_runner.py"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, set[str]]:
    """Distribution names per group: 'dependencies' and each optional extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    groups = {"dependencies": project["dependencies"], **project["optional-dependencies"]}
    return {
        group: {
            normalized(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])
            for requirement in requirements
        }
        for group, requirements in groups.items()
    }


def third_party_imports(path: Path) -> set[str]:
    tops = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    siblings = {p.stem for p in path.parent.glob("*.py")}  # benchmarks import each other
    return tops - set(sys.stdlib_module_names) - OURS - siblings - {"__future__"}


def test_pyproject_declares_every_third_party_import():
    groups, distributions = declared(), importlib.metadata.packages_distributions()
    missing = []
    for folder, allowed in EXTRAS_BY_FOLDER.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            name = path.relative_to(REPO).as_posix()
            if name in OWN_VENV:
                continue
            allowed_names = set().union(
                *(groups.get(g, set()) for g in EXTRAS_BY_MODULE.get(name, allowed))
            )
            for module in sorted(third_party_imports(path)):
                owners = {normalized(d) for d in distributions.get(module, [module])}
                if not owners & allowed_names:
                    missing.append(f"{name}: {module} ({', '.join(sorted(owners))})")
    assert not missing, "imported but not declared where used:\n" + "\n".join(missing)


def test_pyproject_pins_torch_in_one_place():
    files = [REPO / "pyproject.toml", REPO / "Makefile", REPO / ".ci" / "run"]
    files += sorted((REPO / "benchmarks").glob("*.sh"))
    pins = [
        path.name
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"torch\s*==\s*\d", line)
    ]
    assert pins == ["pyproject.toml"]
