"""A small Turtle reader for the tests: enough of the grammar to check the SKOS export.

It tokenizes IRIs, prefixed names, string literals (with their escapes and language tags),
booleans and punctuation, parses `subject verb object (, object)* (; verb ...)* .` statements
and `@prefix` directives, and fails on anything else.
"""

from __future__ import annotations

import re

TOKEN = re.compile(
    r"""(?P<ws>\s+|\#[^\n]*)
      |(?P<prefix>@prefix)
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<string>"(?:[^"\\\n\r]|\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*"(?:@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)?)
      |(?P<boolean>true|false)\b
      |(?P<a>a)\b
      |(?P<pname>[A-Za-z][\w-]*:(?:[\w-]*)|:[\w-]*)
      |(?P<punct>[.;,])""",
    re.VERBOSE,
)
_UNESCAPE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class TurtleError(ValueError):
    pass


def tokens(text: str) -> list[tuple[str, str]]:
    out, position = [], 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise TurtleError(f"unexpected text at {position}: {text[position : position + 30]!r}")
        if match.lastgroup != "ws":
            out.append((match.lastgroup, match.group()))
        position = match.end()
    return out


def unescape(literal: str) -> tuple[str, str]:
    """'"a\\"b"@en' -> ('a"b', 'en')."""
    body, _, lang = literal[1:].rpartition('"')
    value = re.sub(
        r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)",
        lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" else _UNESCAPE[m.group(1)],
        body,
    )
    return value, lang.lstrip("@")


def parse(text: str) -> tuple[dict[str, str], list[tuple[str, str, object]]]:
    """(prefixes, triples) with prefixed names expanded and literals decoded to (value, lang)."""
    items, prefixes, triples, i = tokens(text), {}, [], 0

    def expect(kind: str, value: str | None = None) -> str:
        nonlocal i
        if i >= len(items) or items[i][0] != kind or (value is not None and items[i][1] != value):
            raise TurtleError(f"expected {value or kind} at token {i}: {items[i : i + 3]}")
        i += 1
        return items[i - 1][1]

    def term(allow_literal: bool):
        nonlocal i
        kind, value = items[i]
        i += 1
        if kind == "iri":
            return value[1:-1]
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix not in prefixes:
                raise TurtleError(f"undeclared prefix {prefix!r}")
            return prefixes[prefix] + local
        if allow_literal and kind == "string":
            return unescape(value)
        if allow_literal and kind == "boolean":
            return value == "true"
        raise TurtleError(f"unexpected {kind} {value!r}")

    while i < len(items):
        if items[i][0] == "prefix":
            i += 1
            name = expect("pname")
            prefixes[name.rstrip(":")] = expect("iri")[1:-1]
            expect("punct", ".")
            continue
        subject = term(False)
        while True:
            verb = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" if items[i][0] == "a" else None
            if verb:
                i += 1
            else:
                verb = term(False)
            triples.append((subject, verb, term(True)))
            while items[i] == ("punct", ","):
                i += 1
                triples.append((subject, verb, term(True)))
            if items[i] == ("punct", ";"):
                i += 1
                continue
            expect("punct", ".")
            break
    return prefixes, triples
