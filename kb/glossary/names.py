"""Checks on account names and departments, without SQLAlchemy: the web app uses them on
every request from a trusted proxy, and anonymous pages never load SQLAlchemy.

Departments are free text as in the documents' `department:` field, bounded so that a
header from a proxy or a command-line option cannot grow the table without limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kb.glossary.errors import GlossaryError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MAX_DEPARTMENTS = 50
MAX_DEPARTMENT_CHARS = 64


def clean_departments(names: Iterable[str], option: str = "--department") -> tuple[str, ...]:
    """Stripped, sorted and without duplicates; a clear error naming `option` otherwise."""
    cleaned = sorted({name.strip() for name in names})
    if len(cleaned) > MAX_DEPARTMENTS:
        raise GlossaryError(f"{option}: at most {MAX_DEPARTMENTS} departments per account")
    for name in cleaned:
        if not name or len(name) > MAX_DEPARTMENT_CHARS:
            raise GlossaryError(f"{option}: a department has 1-{MAX_DEPARTMENT_CHARS} characters")
        if "," in name or not name.isprintable():
            raise GlossaryError(f"{option} {name!r}: no commas or control characters")
    return tuple(cleaned)
