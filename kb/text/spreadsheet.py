"""Cells for CSV exports that a spreadsheet opens as text, never as a formula.

A cell starting with one of FORMULA_STARTS is run by Excel and LibreOffice (OWASP's "CSV
injection"): a search query or a term typed by anyone would run on the reader's machine.
Such a cell gets a leading apostrophe, which spreadsheets show as text. Shared by the
glossary's export (kb/glossary/exchange.py) and the insights' (kb/insights/export.py, and the
web's CSV of the same figures).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def text_cell(value: object, separator: str = "; ") -> object:
    """`value` as a CSV cell: None empty, lists joined with `separator`, and text that a
    spreadsheet would run as a formula behind an apostrophe; numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = separator.join(map(str, value))
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value
