"""Find the source files under the paths a user gives.

Only regular files are documents. Whatever else a walk meets (a FIFO, a socket, a device, a
dangling symbolic link, a link loop, a folder that cannot be listed, a file of another type)
is skipped with its reason, which `kb index` and `kb validate` report: one odd entry in a
folder never stops a run. Links to regular files are read; links to folders are not followed.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kb.documents.parsers import SUPPORTED_SUFFIXES
from kb.documents.parsers.reading import not_regular_reason
from kb.problems import Problem

# Files that sit beside documents but are not documents.
IGNORED_NAMES = {"readme.md", "changelog.md", "license.md", "contributing.md"}


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute; the key under which the index remembers the file
    shown: str  # as the user would write it, for messages
    relative: str  # relative to the root it was found under; ids derive from it


@dataclass(frozen=True)
class SkippedFile:
    """An entry that is not read, and why."""

    shown: str
    reason: str

    def to_problem(self) -> Problem:
        return Problem(self.shown, f"skipped: {self.reason}", severity="warning")


@dataclass
class Discovery:
    files: list[SourceFile]
    roots: list[Path]
    missing: list[str]
    skipped: list[SkippedFile]  # entries found while walking that are not documents

    @property
    def skipped_problems(self) -> list[Problem]:
        return [entry.to_problem() for entry in self.skipped]


def discover(paths: list[str | Path]) -> Discovery:
    files: dict[Path, SourceFile] = {}
    found = Discovery([], [], [], [])
    for given in paths:
        path = Path(given)
        mode, reason = _target_mode(path)
        if mode is None and not path.is_symlink():
            found.missing.append(str(given))
        elif mode is None:
            found.skipped.append(SkippedFile(str(given), reason))
        elif stat.S_ISDIR(mode):
            found.roots.append(path.resolve())
            _add_folder(path, files, found)
        else:
            found.roots.append(path.resolve())
            _add_file(path, mode, path.name, files, found, explicit=True)
    found.files = sorted(files.values(), key=lambda f: f.path)
    return found


def _add_folder(folder: Path, files: dict[Path, SourceFile], found: Discovery) -> None:
    for entry in _walk(folder, found.skipped):
        if entry.name.lower() in IGNORED_NAMES:
            continue
        mode, reason = _target_mode(entry)
        if mode is None:
            found.skipped.append(SkippedFile(str(entry), reason))
        elif stat.S_ISDIR(mode):  # only a link to a folder reaches here: os.walk lists it
            found.skipped.append(SkippedFile(str(entry), _LINKED_FOLDER))
        else:
            relative = entry.relative_to(folder).as_posix()
            _add_file(entry, mode, relative, files, found, explicit=False)


def _add_file(
    path: Path,
    mode: int,
    relative: str,
    files: dict[Path, SourceFile],
    found: Discovery,
    explicit: bool,
) -> None:
    """A regular file of a supported type (any type if named by the user: its parser says
    why it is not read) becomes a source; anything else is skipped with its reason."""
    if not stat.S_ISREG(mode):
        found.skipped.append(SkippedFile(str(path), not_regular_reason(mode)))
    elif not explicit and path.suffix.lower() not in SUPPORTED_SUFFIXES:
        found.skipped.append(SkippedFile(str(path), _unsupported(path)))
    else:
        key = path.resolve()  # the link's target: stat has just followed every link
        files.setdefault(key, SourceFile(key, str(path), relative))


def _target_mode(path: Path) -> tuple[int | None, str]:
    """The mode of what ``path`` names, links followed; else None and why it cannot be read."""
    try:
        return os.stat(path).st_mode, ""
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "a symbolic-link loop; it names no file"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR) and path.is_symlink():
            return None, f"a symbolic link to {os.readlink(path)}, which does not exist"
        return None, f"cannot be read: {exc.strerror or exc}"


def _unsupported(path: Path) -> str:
    kind = f"{path.suffix} files" if path.suffix else "files without a suffix"
    return f"{kind} are not documents; supported: {', '.join(SUPPORTED_SUFFIXES)}"


_LINKED_FOLDER = "a symbolic link to a folder; linked folders are not followed"


def _walk(folder: Path, skipped: list[SkippedFile]):
    """Every file, link and other non-folder entry under ``folder``; folders that cannot be
    listed are added to ``skipped``."""

    def unlistable(exc: OSError) -> None:
        skipped.append(SkippedFile(exc.filename, f"folder cannot be listed: {exc.strerror}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unlistable):
        # Hidden folders (.git, .venv) and files (.DS_Store, editor swap files) are never documents.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if not name.startswith((".", "~")):
                yield Path(dirpath) / name
        for name in dirnames:  # links to folders: os.walk lists them but does not follow
            if (Path(dirpath) / name).is_symlink():
                yield Path(dirpath) / name


def under_roots(path: str, roots: list[Path]) -> bool:
    candidate = Path(path)
    return any(candidate == root or root in candidate.parents for root in roots)
