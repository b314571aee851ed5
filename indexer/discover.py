"""Find the source files under the paths a user gives."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kb.parsers import SUPPORTED_SUFFIXES

# Files that sit beside documents but are not documents.
IGNORED_NAMES = {"readme.md", "changelog.md", "license.md", "contributing.md"}


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute; the key under which the index remembers the file
    shown: str  # as the user would write it, for messages
    relative: str  # relative to the root it was found under; ids derive from it


@dataclass
class Discovery:
    files: list[SourceFile]
    roots: list[Path]
    missing: list[str]
    skipped: list[str]  # files of unsupported types found while walking folders


def discover(paths: list[str | Path]) -> Discovery:
    files: dict[Path, SourceFile] = {}
    roots, missing, skipped = [], [], []
    for given in paths:
        path = Path(given)
        if not path.exists():
            missing.append(str(given))
            continue
        root = path.resolve()
        roots.append(root)
        if path.is_file():
            files.setdefault(root, SourceFile(root, str(given), path.name))
            continue
        for found in _walk(path):
            rel = found.relative_to(path).as_posix()
            if (
                found.suffix.lower() in SUPPORTED_SUFFIXES
                and found.name.lower() not in IGNORED_NAMES
            ):
                files.setdefault(found.resolve(), SourceFile(found.resolve(), str(found), rel))
            elif found.name.lower() not in IGNORED_NAMES:
                skipped.append(str(found))
    return Discovery(sorted(files.values(), key=lambda f: f.path), roots, missing, skipped)


def _walk(folder: Path):
    for dirpath, dirnames, filenames in os.walk(folder):
        # Hidden folders (.git, .venv) and files (.DS_Store, editor swap files) are never documents.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if not name.startswith((".", "~")):
                yield Path(dirpath) / name


def under_roots(path: str, roots: list[Path]) -> bool:
    candidate = Path(path)
    return any(candidate == root or root in candidate.parents for root in roots)
