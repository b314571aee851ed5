"""YAML as people write it in front matter and mapping files, and nothing more.

PyYAML's SafeLoader still expands aliases (a 560-byte "billion laughs" front matter became an
802 MB field), follows a self-referencing alias into endless recursion, nests as deep as it is
told, and lets a constructor's ValueError escape (`date: 2023-02-30`). This loader refuses
anchors and aliases, bounds nesting, keeps an impossible timestamp as the text written (the
date check then names it), and turns every other failure into one YamlInputError with a line.
"""

from __future__ import annotations

import yaml

# Failures of a value's constructor that are not YAMLErrors (an int of 5,000 digits, ...).
_VALUE_ERRORS = (ValueError, TypeError, OverflowError)


class YamlInputError(ValueError):
    """YAML that cannot be read (`malformed`) or is refused; `line` counts from 1."""

    def __init__(self, message: str, line: int | None = None, malformed: bool = False):
        super().__init__(message)
        self.message = message
        self.line = line
        self.malformed = malformed


class _RefusedYaml(yaml.MarkedYAMLError):
    pass


class BoundedSafeLoader(yaml.SafeLoader):
    """SafeLoader without anchors or aliases, nested at most `max_depth` levels."""

    max_depth = 32

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _RefusedYaml(
                problem="YAML anchors and aliases (&name, *name) are not allowed",
                problem_mark=event.start_mark,
            )
        depth = getattr(self, "_depth", 0)
        if depth >= self.max_depth:
            raise _RefusedYaml(
                problem=f"values are nested more than {self.max_depth} levels deep",
                problem_mark=event.start_mark,
            )
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except _VALUE_ERRORS as exc:
            raise yaml.constructor.ConstructorError(
                problem=f"cannot read the value {_shown(node)}: {exc}", problem_mark=node.start_mark
            ) from None

    def construct_yaml_timestamp(self, node):
        """A date the calendar does not have (2023-02-30, 0000-01-01) stays the text written,
        so the field's own check can name it."""
        try:
            return super().construct_yaml_timestamp(node)
        except _VALUE_ERRORS:
            return node.value


BoundedSafeLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", BoundedSafeLoader.construct_yaml_timestamp
)


def load_yaml(text: str, max_depth: int) -> tuple[object, dict[str, int]]:
    """(data, {top-level key: its line}) from YAML text; YamlInputError for anything refused."""
    loader = BoundedSafeLoader(text)
    loader.max_depth = max_depth
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _RefusedYaml as exc:
        raise YamlInputError(exc.problem, exc.problem_mark.line + 1) from None
    except yaml.YAMLError as exc:
        raise _malformed(exc) from None
    except _VALUE_ERRORS as exc:  # raised outside any one value (a key that cannot be hashed)
        raise YamlInputError(f"cannot read the YAML: {exc}", malformed=True) from None
    finally:
        loader.dispose()
    return data, _key_lines(node)


def _malformed(exc: yaml.YAMLError) -> YamlInputError:
    # An unclosed bracket or quote is noticed far below; where it opened is more useful. A
    # value that cannot be built is named by its own mark.
    mark = getattr(exc, "problem_mark", None)
    if not isinstance(exc, yaml.constructor.ConstructorError):
        mark = getattr(exc, "context_mark", None) or mark
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return YamlInputError(problem, mark.line + 1 if mark is not None else None, malformed=True)


def _key_lines(node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def _shown(node) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else node.tag
    return repr(value if len(value) <= 60 else value[:60] + "…")
