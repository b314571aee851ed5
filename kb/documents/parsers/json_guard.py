"""JSON read within bounds: nesting checked before the decoder recurses, NaN and Infinity
refused naming the line and field, each element of a top-level array read on its own.

json.loads recurses once per level (200,000 nested brackets raise RecursionError) and takes
NaN/Infinity, which are not JSON. The nesting is measured in linear time, brackets inside
strings ignored; a constant is decoded as a marker, so the record holding it is refused and
its neighbours are still read.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator

_STRING = r'"(?:[^"\\\n]|\\.)*"'
_NOT_BRACKET = re.compile(_STRING + r'|[^\[\]{}"]+')  # strings, and what is not a bracket
_BRACKETS = re.compile(_STRING + r"|[\[{]|[\]}]")
_CONSTANT = re.compile(_STRING + r"|(-?Infinity|NaN)")
_SPACE = re.compile(r"[ \t\n\r]*")
# '[' and '{' one level deeper, ']' and '}' one shallower, anything else (a stray quote) neither.
_STEPS = [0] * 256
_STEPS[ord("[")] = _STEPS[ord("{")] = 1
_STEPS[ord("]")] = _STEPS[ord("}")] = -1


class JsonInputError(ValueError):
    """JSON refused or malformed; `line` counts from 1 in the text given."""

    def __init__(self, message: str, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field


class _Constant:
    """Where the text held NaN, Infinity or -Infinity."""


def check_depth(text: str, max_depth: int) -> None:
    """JsonInputError naming the line where brackets nest deeper than max_depth."""
    if text.count("[") + text.count("{") <= max_depth:  # most records: no need to look closer
        return
    brackets = _NOT_BRACKET.sub("", text).encode()  # a C-speed pass; little is left in real files
    if max(itertools.accumulate(map(_STEPS.__getitem__, brackets))) > max_depth:
        raise JsonInputError(
            f"JSON nested more than {max_depth} levels deep", _deep_line(text, max_depth)
        )


def _deep_line(text: str, max_depth: int) -> int:
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(match.group(), 0)
        if depth > max_depth:
            return _line(text, match.start())
    return 1


def loads(text: str, max_depth: int):
    """json.loads, bounded; JsonInputError naming the line (and field) of what is wrong."""
    check_depth(text, max_depth)
    value, end = _decode(text, _skip(text, 0))
    if _skip(text, end) != len(text):
        raise JsonInputError("malformed JSON: extra data after the value", _line(text, end))
    if isinstance(value, JsonInputError):
        raise value
    return value


def array_items(text: str, max_depth: int) -> Iterator[tuple[int, object]]:
    """(line, element) of each element of a top-level array, read one at a time. An element
    holding NaN or Infinity comes as the JsonInputError naming it; broken syntax raises one
    (the elements before it have been read)."""
    check_depth(text, max_depth)
    pos = _skip(text, _skip(text, 0) + 1)  # past '['
    while not text.startswith("]", pos):
        item, end = _decode(text, pos)
        yield _line(text, pos), item
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            if text.startswith("]", pos):
                raise JsonInputError(
                    "malformed JSON: a ',' before the closing ']'", _line(text, pos)
                )
        elif not text.startswith("]", pos):
            raise JsonInputError("malformed JSON: expected ',' or ']'", _line(text, pos))
    if _skip(text, pos + 1) != len(text):
        raise JsonInputError("malformed JSON: extra data after the array", _line(text, pos))


def _decode(text: str, pos: int) -> tuple[object, int]:
    """The value starting at pos and where it ends; a value holding NaN or Infinity comes as
    the JsonInputError naming it. Raises JsonInputError if the JSON is malformed."""
    found: list[str] = []
    decoder = json.JSONDecoder(parse_constant=lambda name: found.append(name) or _Constant())
    try:
        value, end = decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"malformed JSON: {exc.msg}", exc.lineno) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise JsonInputError(f"malformed JSON: {exc}", _line(text, pos)) from None
    if found:
        message = f"{found[0]} is not a JSON value; write null or a number"
        value = JsonInputError(message, _constant_line(text, pos), _field_holding_constant(value))
    return value, end


def _field_holding_constant(value) -> str | None:
    if isinstance(value, dict):
        return next((str(k) for k, v in value.items() if _holds_constant(v)), None)
    return None


def _holds_constant(value) -> bool:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return any(_holds_constant(item) for item in value)
    return isinstance(value, _Constant)


def _constant_line(text: str, pos: int) -> int:
    for match in _CONSTANT.finditer(text, pos):
        if match.group(1):
            return _line(text, match.start())
    return _line(text, pos)


def _skip(text: str, pos: int) -> int:
    """The position of the first character at or after pos that is not JSON whitespace."""
    return _SPACE.match(text, pos).end()


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1
