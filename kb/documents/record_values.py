"""Checking one field's value: its type, its size, NaN, nesting; each refusal a DocumentError
naming the field. Sizes are checked before the work they bound (a 1 MB title costs a len())."""

from __future__ import annotations

import json
import math
import re

from kb.documents.limits import InputLimits
from kb.documents.schema import KNOWN_FIELDS
from kb.problems import DocumentError

_SHOWN_CHARS = 60  # of a bad value quoted in a message


def scalar_text(value, name: str, limits: InputLimits) -> str:
    """A field's value as text; refused if it is a list or mapping, NaN or infinite, or
    longer than max_field_chars."""
    if isinstance(value, (list, tuple, dict, set)):
        kind = "dict" if isinstance(value, dict) else "list"
        raise DocumentError(f"field '{name}' must be text, not a {kind}", field=name)
    refuse_non_finite(value, name)
    text = value if isinstance(value, str) else str(value)
    if len(text) > limits.max_field_chars:
        raise DocumentError(
            f"field '{name}' is {len(text):,} characters; the limit is {limits.max_field_chars:,}",
            field=name,
        )
    return text


def one_line(value, name: str, limits: InputLimits) -> str:
    return re.sub(r"\s+", " ", scalar_text(value, name, limits)).strip()


def title_text(value, limits: InputLimits) -> str:
    """The title on one line; a title longer than max_title_chars is refused, and one longer
    than max_field_chars before its whitespace is squeezed out (a 1 MB title costs len())."""
    text = value if isinstance(value, str) else scalar_text(value, "title", limits)
    if len(text) <= limits.max_field_chars:
        text = one_line(text, "title", limits)
    if len(text) > limits.max_title_chars:
        raise DocumentError(
            f"title is {len(text):,} characters; a title is at most "
            f"{limits.max_title_chars:,} (put the rest in a section)",
            field="title",
        )
    return text


def as_list(value, name: str, limits: InputLimits) -> list[str]:
    if blank(value):
        return []
    if isinstance(value, dict):
        raise DocumentError(f"field '{name}' must be a list or text, not a mapping", field=name)
    if isinstance(value, str):
        value = re.split(r"[;,]", scalar_text(value, name, limits))
    elif not isinstance(value, (list, tuple)):
        value = [value]
    if len(value) > limits.max_list_items:
        raise DocumentError(
            f"field '{name}' has {len(value):,} items; the limit is {limits.max_list_items:,}",
            field=name,
        )
    items = (_list_item(v, name, limits) for v in value if not blank(v))
    return list(dict.fromkeys(item for item in items if item))


def item_text(value, name: str, holder: str) -> str:
    """One item of a list, or a section's text, as text: refused if it is a list or mapping
    itself, NaN or infinite. holder: what the message names (field 'tags', section 'Lesson')."""
    if isinstance(value, (list, tuple, dict, set)):
        kind = "mapping" if isinstance(value, dict) else "nested list"
        raise DocumentError(
            f"{holder} must be text or a list of text, not hold a {kind}", field=name
        )
    refuse_non_finite(value, name)
    return str(value)


def _list_item(value, name: str, limits: InputLimits) -> str:
    text = item_text(value, name, f"field '{name}'").strip()
    if len(text) > limits.max_title_chars:
        raise DocumentError(
            f"an item of field '{name}' is {len(text):,} characters; the limit is "
            f"{limits.max_title_chars:,}",
            field=name,
        )
    return text


def extra_fields(record: dict, limits: InputLimits) -> dict:
    """Unknown fields, kept as JSON-ready values: each at most max_field_chars as JSON and
    max_depth deep, at most max_list_items of them."""
    skip = {*KNOWN_FIELDS, "sections"}
    extra = {str(k): v for k, v in record.items() if k not in skip and not blank(v)}
    if len(extra) > limits.max_list_items:
        raise DocumentError(
            f"{len(extra):,} fields besides the standard ones; the limit is "
            f"{limits.max_list_items:,}"
        )
    return {name: _extra_value(value, name, limits) for name, value in extra.items()}


def _extra_value(value, name: str, limits: InputLimits):
    if isinstance(value, str) and len(value) > limits.max_field_chars:
        size = len(value)
    else:
        value = _json_ready(value, name, limits.max_depth)
        size = len(json.dumps(value, ensure_ascii=False))
    if size > limits.max_field_chars:
        raise DocumentError(
            f"field '{name}' is {size:,} characters as JSON; the limit is "
            f"{limits.max_field_chars:,}",
            field=name,
        )
    return value


def _json_ready(value, name: str, depth_left: int):
    """The value with string keys, NaN and infinities refused, other types as their text."""
    refuse_non_finite(value, name)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dict, list, tuple, set)) and depth_left <= 0:
        raise DocumentError(f"field '{name}' is nested too deeply", field=name)
    if isinstance(value, dict):
        return {str(k): _json_ready(v, name, depth_left - 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_ready(v, name, depth_left - 1) for v in value]
    return str(value)


def refuse_non_finite(value, name: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        what = "NaN (not a number)" if math.isnan(value) else f"{'-' * (value < 0)}infinity"
        raise DocumentError(
            f"field '{name}' holds {what}; write text or a finite number", field=name
        )


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def shown(value) -> str:
    """A value quoted in a message, cut to a readable length."""
    text = str(value)
    return repr(text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…")
