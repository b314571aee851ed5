"""Reading a source file's bytes safely: regular files only, never more than the limit.

A FIFO named `x.md` would block `read()` forever and a device file never ends, so the file
is opened without blocking and checked with fstat on the open descriptor (no race with a
file swapped in between a check and the read) before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class UnreadableSourceError(OSError):
    """A source file that is not read: its reason, for the problem report."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def file_kind(mode: int) -> str:
    """'a FIFO (named pipe)', 'a socket', ... for a non-regular file's st_mode."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular_reason(mode: int) -> str:
    return f"{file_kind(mode)}, not a regular file; only regular files are read"


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; UnreadableSourceError naming why not (not a regular file, larger
    than ``max_bytes``, a symbolic-link loop, no permission...)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnreadableSourceError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableSourceError(not_regular_reason(info.st_mode))
        _check_size(info.st_size, max_bytes)
        data = _read_at_most(fd, max_bytes + 1)
        _check_size(len(data), max_bytes)  # it grew while being read
        return data
    except UnreadableSourceError:
        raise
    except OSError as exc:
        raise UnreadableSourceError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UnreadableSourceError(f"file is {size:,} bytes; the limit is {max_bytes:,}")


def _read_at_most(fd: int, limit: int) -> bytes:
    parts, left = [], limit
    while left > 0:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)
