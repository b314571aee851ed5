"""Mapping files: import another system's export without editing it.

A mapping renames source fields to Lessonbase fields and sections, fills constants, and
normalizes values. docs/formats.md documents the file; examples/mappings/ has real ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import string
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

from kb.documents.lifecycle import STATUSES, normalize_status, status_key
from kb.documents.limits import MAX_NESTING_DEPTH
from kb.documents.safe_yaml import YamlInputError, load_yaml
from kb.documents.schema import LIST_FIELDS, SECTION_SPECS
from kb.problems import DocumentError

_TRANSFORMS = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "strip": str.strip,
    "unescape": html.unescape,
}
_MAPPING_KEYS = {
    "type",
    "fields",
    "sections",
    "defaults",
    "transforms",
    "drop_values",
    "body_section",
    "list_separator",
    "status",
}


class MappingError(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    fields: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    transforms: dict = field(default_factory=dict)
    drop_values: tuple[str, ...] = ()
    body_section: str = "summary"
    list_separator: str = ";"
    fingerprint: str = "none"
    # The `status:` table: an export's own status words (as status_key spells them) -> the
    # lifecycle state each means; `source` names the file in the error for a word it lacks.
    statuses: dict = field(default_factory=dict)
    source: str = "mapping"

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        path = Path(path)
        try:
            raw = path.read_text(encoding="utf-8")
            data = load_yaml(raw, MAX_NESTING_DEPTH)[0] or {}
        except (OSError, UnicodeDecodeError) as exc:
            raise MappingError(f"{path}: cannot read mapping file: {exc}") from exc
        except YamlInputError as exc:
            where = f" (line {exc.line})" if exc.line else ""
            raise MappingError(f"{path}: cannot read mapping file: {exc.message}{where}") from None
        return cls.from_dict(data, source=str(path), fingerprint=_hash(raw))

    @classmethod
    def from_dict(cls, data: dict, source: str = "mapping", fingerprint: str = "") -> Mapping:
        if not isinstance(data, dict):
            raise MappingError(f"{source}: a mapping file must be a YAML mapping")
        unknown = set(data) - _MAPPING_KEYS
        if unknown:
            raise MappingError(
                f"{source}: unknown keys {sorted(unknown)}; known: {sorted(_MAPPING_KEYS)}"
            )
        defaults = dict(data.get("defaults") or {})
        if data.get("type"):
            defaults["type"] = data["type"]
        sections = data.get("sections") or {}
        for key in sections:
            if key not in SECTION_SPECS:
                raise MappingError(
                    f"{source}: sections.{key} is not a known section; known: {sorted(SECTION_SPECS)}"
                )
        for target, rule in (data.get("transforms") or {}).items():
            if isinstance(rule, str) and rule not in _TRANSFORMS:
                raise MappingError(
                    f"{source}: transforms.{target}: unknown transform {rule!r}; known: {sorted(_TRANSFORMS)}"
                )
        return cls(
            fields=dict(data.get("fields") or {}),
            sections=dict(sections),
            defaults=defaults,
            transforms=dict(data.get("transforms") or {}),
            drop_values=tuple(str(v) for v in data.get("drop_values") or ()),
            body_section=data.get("body_section") or "summary",
            list_separator=data.get("list_separator") or ";",
            fingerprint=fingerprint or _hash(repr(sorted(data.items(), key=str))),
            statuses=_status_table(data.get("status"), source),
            source=source,
        )

    def apply(self, record: dict) -> dict:
        """A source record as Lessonbase fields plus a `sections` dict and `extra`."""
        used: set[str] = set()
        out: dict = {}
        for target, rule in self.fields.items():
            out[target] = self._resolve(record, rule, target in LIST_FIELDS, used)
        raw = record.get("sections") or []
        if not isinstance(raw, (dict, list)):
            raw = [raw]  # not sections: build_document names it
        sections = list(raw.items()) if isinstance(raw, dict) else list(raw)
        for key, rule in self.sections.items():
            text = self._resolve(record, rule, False, used)
            if text:
                sections.append((key, text))
        for name, value in record.items():
            if name not in used and name not in out and name != "sections":
                out[name] = self._clean(value)
        for target, value in self.defaults.items():
            if _is_empty(out.get(target)):
                out[target] = (
                    _fill_template(str(value), record) if isinstance(value, str) else value
                )
                out.setdefault("defaulted_fields", []).append(target)
        for target, rule in self.transforms.items():
            if target in out and not _is_empty(out[target]):
                out[target] = _transform(out[target], rule)
        if sections:
            out["sections"] = sections
        if self.statuses and isinstance(out.get("status"), str) and out["status"].strip():
            out["status"] = self._mapped_status(out["status"])
        return out

    def _mapped_status(self, value: str) -> str:
        """The state the `status:` table gives `value`; a lifecycle state passes as it is, and
        any other word is refused, naming this mapping file and the words it maps."""
        mapped = self.statuses.get(status_key(value)) or normalize_status(value)
        if mapped is None:
            raise DocumentError(
                f"unknown status {value[:60]!r}: neither a lifecycle state ({', '.join(STATUSES)})"
                f" nor in the `status:` table of {self.source}, which maps "
                f"{', '.join(repr(k) for k in self.statuses)}",
                field="status",
            )
        return mapped

    def _resolve(self, record: dict, rule, as_list: bool, used: set[str]):
        rules = rule if isinstance(rule, list) else [rule]
        values = []
        for item in rules:
            value = self._lookup(record, str(item), used)
            if _is_empty(value):
                continue
            if not as_list:
                return value
            values.extend(value if isinstance(value, list) else self._split(value))
        return list(dict.fromkeys(values)) if as_list else ""

    def _lookup(self, record: dict, rule: str, used: set[str]):
        if "{" in rule:
            names = [n for _, n, _, _ in string.Formatter().parse(rule) if n]
            if all(_is_empty(self._clean(record.get(n))) for n in names):
                return ""
            used.update(names)
            return re.sub(r"\s+", " ", _fill_template(rule, record, self._clean)).strip()
        used.add(rule)
        return self._clean(record.get(rule))

    def _clean(self, value):
        if isinstance(value, list):
            return [v for v in (self._clean(item) for item in value) if not _is_empty(v)]
        if isinstance(value, str):
            value = value.strip()
            return "" if value in self.drop_values else value
        return value

    def _split(self, value) -> list[str]:
        return [part.strip() for part in str(value).split(self.list_separator) if part.strip()]


IDENTITY = Mapping()


def _status_table(table, source: str) -> dict[str, str]:
    """The `status:` table checked: a mapping of words to lifecycle states."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise MappingError(f"{source}: status: expected a table of `source value: state`")
    out = {}
    for word, state in table.items():
        target = normalize_status(str(state))
        if target is None:
            raise MappingError(
                f"{source}: status.{word}: {state!r} is not a lifecycle state; "
                f"known: {', '.join(STATUSES)}"
            )
        out[status_key(str(word))] = target
    return out


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _fill_template(template: str, record: dict, clean=lambda v: v) -> str:
    values = {"today": dt.date.today().isoformat()}

    class _Lookup(dict):
        def __missing__(self, key):
            value = clean(record.get(key))
            return values.get(key, "") if _is_empty(value) else value

    return string.Formatter().vformat(template, (), _Lookup())


def _transform(value, rule):
    if isinstance(value, list):
        return [_transform(item, rule) for item in value]
    if isinstance(rule, dict):
        return rule.get(value, value) if isinstance(value, Hashable) else value
    for name in rule if isinstance(rule, list) else [rule]:
        value = _TRANSFORMS[name](str(value))
    return value


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
