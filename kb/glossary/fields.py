"""Cleaning and checking what editors type, shared by the review actions, edits and imports.

Every write path cleans its fields the same way, so what is stored is always what an export
writes and an import reads back unchanged (CSV and JSON round-trip byte for byte).
"""

from __future__ import annotations

import re
from dataclasses import replace

from kb.glossary.model import STATUSES, TermFields, unique_forms

MAX_LINE = 200
MAX_DEFINITION = 10_000
_SPACES = re.compile(r"[ \t]+")


def one_line(text: str) -> str:
    return _SPACES.sub(" ", str(text or "").replace("\r", " ").replace("\n", " ")).strip()


def split_list(text: str) -> tuple[str, ...]:
    """'a | b' or one item per line -> ('a', 'b')."""
    return tuple(item for item in re.split(r"[|\r\n]", text or "") if item.strip())


def clean_fields(fields: TermFields) -> TermFields:
    """Trimmed one-line fields, a definition with plain newlines, de-duplicated lists."""
    label, acronym = one_line(fields.label), one_line(fields.acronym)
    taken = {label.casefold(), acronym.casefold()}
    synonyms = [one_line(s) for s in fields.synonyms]
    return replace(
        fields,
        label=label,
        acronym=acronym,
        definition=(fields.definition or "").replace("\r\n", "\n").replace("\r", "\n").strip(),
        synonyms=tuple(s for s in unique_forms(synonyms) if s.casefold() not in taken),
        related=tuple(dict.fromkeys(one_line(r) for r in fields.related if one_line(r))),
        owner=one_line(fields.owner),
        status=one_line(fields.status),
    )


def field_errors(fields: TermFields, key: str, known_keys: set[str]) -> dict[str, str]:
    """{field: problem} for cleaned fields; `known_keys` are the terms `related` may name."""
    errors: dict[str, str] = {}
    if not fields.label:
        errors["label"] = "is required"
    for name in ("label", "acronym", "owner"):
        if len(getattr(fields, name)) > MAX_LINE:
            errors[name] = f"at most {MAX_LINE} characters"
    if "|" in fields.acronym:
        errors["acronym"] = "may not contain '|'"
    if len(fields.definition) > MAX_DEFINITION:
        errors["definition"] = f"at most {MAX_DEFINITION} characters"
    if fields.status not in STATUSES:
        errors["status"] = f"must be one of {', '.join(STATUSES)}, got {fields.status!r}"
    if any("|" in s or len(s) > MAX_LINE for s in fields.synonyms):
        errors["synonyms"] = f"each synonym is one line of at most {MAX_LINE} characters, no '|'"
    errors.update(_related_errors(fields.related, key, known_keys))
    return errors


def _related_errors(related: tuple[str, ...], key: str, known_keys: set[str]) -> dict[str, str]:
    if key in related:
        return {"related": "a term cannot be related to itself"}
    unknown = [item for item in related if item not in known_keys]
    if unknown:
        listed = ", ".join(repr(item) for item in unknown)
        return {"related": f"not in the glossary: {listed}"}
    return {}


def key_error(key: str) -> str:
    """What is wrong with a term key, or ''."""
    if not key:
        return "is required"
    if key != one_line(key):
        return "must be one line without leading or trailing spaces"
    if len(key) > MAX_LINE:
        return f"at most {MAX_LINE} characters"
    if "|" in key:
        return "may not contain '|'"
    return ""
