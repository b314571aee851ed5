"""spaCy's attribute ruler with its single-token rules looked up instead of matched.

The English pipeline's attribute ruler maps each fine-grained tag to its part of speech and
morphology, plus exceptions for particular words, as 179 Matcher rules. spaCy's Matcher
tries every rule at every token, and then sets each match's attributes token by token: the
two took as long as the tagger's whole neural network on NASA text. Nearly every rule tests
one token for equal values or membership (TAG, LOWER, IS_SPACE, DEP), so what such rules do
to a token depends only on those four values: it is worked out once per distinct row of
them and written to the whole Doc as arrays. The few other rules (several tokens, regular
expressions, other attributes) still go through a Matcher, which is skipped when the Doc
lacks a word or tag they require, and spaCy's own code applies their matches, in its order,
so the annotations are the same (a slow test compares them on real text).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

FACTORY = "indexed_attribute_ruler"
_ATTRS = {"TAG": TAG, "LOWER": LOWER, "IS_SPACE": IS_SPACE, "DEP": DEP}
_COLUMNS = list(_ATTRS.values())
# Positions of the tag and the lower-case form in a token's row of `_ATTRS` values.
_TAG_COLUMN, _LOWER_COLUMN = list(_ATTRS).index("TAG"), list(_ATTRS).index("LOWER")
ANY = -1  # index key of a rule that does not test the tag or the lower-case form
# What an indexed rule may set: plain token fields, which `Doc.from_array` writes as
# `set_token_attrs` would. Rules setting anything else (extensions, NORM) use the Matcher.
SETTABLE = (POS, TAG, MORPH, LEMMA, DEP)

Match = tuple[int, int, int, int]  # (rule number, match id, start, end), as spaCy sorts them


@dataclass(frozen=True)
class SingleTokenRule:
    """One rule's pattern over one token: every test is ``(column, allowed, negated)``."""

    rule: int
    match_id: int
    tests: tuple[tuple[int, frozenset, bool], ...]

    def matches(self, row: tuple[int, ...]) -> bool:
        return all((row[column] in allowed) != negated for column, allowed, negated in self.tests)


@dataclass(frozen=True)
class RowEffect:
    """The single-token rules that match one row of `_ATTRS` values, and what they set."""

    matches: tuple[tuple[int, int], ...]  # (rule number, match id), in rule order
    values: np.ndarray  # one per SETTABLE attribute: the last value a rule sets, else 0
    sets: np.ndarray  # bool, one per SETTABLE attribute: whether any rule sets it


@dataclass
class Anchor:
    """A value, or a regular expression, that some token of a matching Doc has in ``column``."""

    column: int
    allowed: frozenset = frozenset()
    regex: re.Pattern | None = None
    _verdicts: dict[int, bool] = field(default_factory=dict)  # by value, for regex anchors

    def met_by(self, present: set[int], strings) -> bool:
        if self.regex is None:
            return not present.isdisjoint(self.allowed)
        return any(self._regex_matches(value, strings) for value in present)

    def _regex_matches(self, value: int, strings) -> bool:
        verdict = self._verdicts.get(value)
        if verdict is None:
            verdict = self._verdicts[value] = bool(self.regex.search(strings[value]))
        return verdict


class IndexedAttributeRuler(AttributeRuler):
    """An `AttributeRuler` that sets the same attributes, finding single-token rules by lookup."""

    _index: _RuleIndex | None = None  # built at the first use after the rules change

    def add(self, patterns, attrs, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._index = None

    def clear(self) -> None:
        super().clear()
        self._index = None

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self._rules().annotate(doc)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def match(self, doc: Doc) -> list[Match]:
        return self._rules().match(doc)

    def _rules(self) -> _RuleIndex:
        if self._index is None:
            self._index = _RuleIndex.build(self)
        return self._index


class _RuleIndex:
    def __init__(
        self,
        ruler: AttributeRuler,
        rules: list[SingleTokenRule],
        matcher: Matcher,
        matcher_patterns: list[list[dict]],
    ):
        self.ruler, self.matcher = ruler, matcher
        self.anchors = [_anchors(pattern) for pattern in matcher_patterns]
        self.by_key: dict[tuple[int, int], list[SingleTokenRule]] = defaultdict(list)
        for rule in rules:
            for key in _index_keys(rule):
                self.by_key[key].append(rule)
        self.effects: dict[tuple[int, ...], RowEffect] = {}

    @classmethod
    def build(cls, ruler: AttributeRuler) -> _RuleIndex:
        strings = ruler.vocab.strings
        rules, matcher = [], Matcher(ruler.vocab, validate=ruler.validate)
        matcher_patterns = []
        for number, rule in enumerate(ruler.patterns):
            match_id = strings.add(str(number))
            indexable = ruler.indices[number] in (0, -1) and set(ruler.attrs[number]) <= set(
                SETTABLE
            )
            for pattern in rule["patterns"]:
                single = _single_token_rule(number, match_id, pattern)
                if single is None or not indexable:
                    matcher.add(match_id, [pattern])
                    matcher_patterns.append(pattern)
                else:
                    rules.append(single)
        return cls(ruler, rules, matcher, matcher_patterns)

    def annotate(self, doc: Doc) -> None:
        """Set what the rules set on ``doc``, as `AttributeRuler.__call__` would."""
        if not len(doc):
            return
        table = doc.to_array(_COLUMNS)
        rows, inverse = np.unique(table, axis=0, return_inverse=True)
        effects = [self.effect(tuple(row)) for row in rows.tolist()]
        sets = np.stack([e.sets for e in effects])[inverse.reshape(-1)]
        changed = sets.any(axis=0)
        if changed.any():
            columns = [a for a, c in zip(SETTABLE, changed, strict=True) if c]
            values = np.stack([e.values for e in effects])[inverse.reshape(-1)][:, changed]
            current = doc.to_array(columns)
            doc.from_array(columns, np.where(sets[:, changed], values, current))
        others = self._matcher_matches(doc, table)
        if others:  # re-applied with every match on the tokens they set, in spaCy's order
            self.ruler.set_annotations(doc, self._with_single_matches(doc, table, others))

    def match(self, doc: Doc) -> list[Match]:
        """Every match, sorted as `AttributeRuler.match` sorts them."""
        table = doc.to_array(_COLUMNS)
        found = set(self._matcher_matches(doc, table))
        for i, row in enumerate(table.tolist()):
            found.update((rule, mid, i, i + 1) for rule, mid in self.effect(tuple(row)).matches)
        return sorted(found)

    def effect(self, row: tuple[int, ...]) -> RowEffect:
        effect = self.effects.get(row)
        if effect is None:
            effect = self.effects[row] = self._effect(row)
        return effect

    def _effect(self, row: tuple[int, ...]) -> RowEffect:
        tag, lower = row[_TAG_COLUMN], row[_LOWER_COLUMN]
        found = set()
        for key in ((tag, lower), (tag, ANY), (ANY, lower), (ANY, ANY)):
            found.update((r.rule, r.match_id) for r in self.by_key.get(key, ()) if r.matches(row))
        values = np.zeros(len(SETTABLE), dtype=np.uint64)
        sets = np.zeros(len(SETTABLE), dtype=bool)
        for rule, _ in sorted(found):  # later rules override earlier ones, as in spaCy
            for attr, value in self.ruler.attrs[rule].items():
                values[SETTABLE.index(attr)] = value
                sets[SETTABLE.index(attr)] = True
        return RowEffect(tuple(sorted(found)), values, sets)

    def _matcher_matches(self, doc: Doc, table: np.ndarray) -> list[Match]:
        strings = doc.vocab.strings
        if not len(self.matcher) or not self._matcher_may_match(table, strings):
            return []
        found = self.matcher(doc, allow_missing=True)
        return [(int(strings[match_id]), match_id, start, end) for match_id, start, end in found]

    def _matcher_may_match(self, table: np.ndarray, strings) -> bool:
        present: dict[int, set[int]] = {}
        for anchors in self.anchors:
            for anchor in anchors:
                if anchor.column not in present:
                    present[anchor.column] = set(table[:, anchor.column].tolist())
                if not anchor.met_by(present[anchor.column], strings):
                    break  # this pattern needs a value the Doc lacks
            else:
                return True
        return False

    def _with_single_matches(self, doc: Doc, table: np.ndarray, others: list[Match]) -> list[Match]:
        indices = self.ruler.indices
        targets = {_target(start, end, indices[rule]) for rule, _, start, end in others}
        singles = [
            (rule, match_id, i, i + 1)
            for i in sorted(t for t in targets if 0 <= t < len(doc))
            for rule, match_id in self.effect(tuple(table[i].tolist())).matches
        ]
        return sorted(set(others) | set(singles))


def _target(start: int, end: int, index: int) -> int:
    return (start if index >= 0 else end) + index


def _anchors(pattern: list[dict]) -> list[Anchor]:
    """What the pattern requires of some token: a Doc lacking any of it cannot match it.
    Optional tokens (with an OP) require nothing."""
    anchors = []
    for token in pattern:
        for key, value in token.items() if "OP" not in token else ():
            column = list(_ATTRS).index(key) if key in _ATTRS else None
            test = _test(column, value) if column is not None else None
            if test is not None and not test[2]:
                anchors.append(Anchor(column, test[1]))
            elif column is not None and isinstance(value, dict) and set(value) == {"REGEX"}:
                anchors.append(Anchor(column, regex=re.compile(value["REGEX"])))
    return anchors


def _single_token_rule(number: int, match_id: int, pattern) -> SingleTokenRule | None:
    """The pattern as lookups, or None when it needs the Matcher."""
    if len(pattern) != 1:
        return None
    tests = []
    for key, value in pattern[0].items():
        if key not in _ATTRS:
            return None
        test = _test(list(_ATTRS).index(key), value)
        if test is None:
            return None
        tests.append(test)
    return SingleTokenRule(number, match_id, tuple(tests))


def _test(column: int, value) -> tuple[int, frozenset, bool] | None:
    """The values are compared as the hashes `Doc.to_array` gives, and never read back as
    strings, so they need no place in the vocabulary."""
    if isinstance(value, bool):
        return column, frozenset([int(value)]), False
    if isinstance(value, str):
        return column, frozenset([get_string_id(value)]), False
    if isinstance(value, dict) and len(value) == 1:
        operator, values = next(iter(value.items()))
        if operator in ("IN", "NOT_IN") and all(isinstance(v, str) for v in values):
            return column, frozenset(get_string_id(v) for v in values), operator == "NOT_IN"
    return None


def _index_keys(rule: SingleTokenRule) -> list[tuple[int, int]]:
    """Where the rule is filed: under each tag and lower-case form it requires, else ANY."""
    required = {column: allowed for column, allowed, negated in rule.tests if not negated}
    tags = sorted(required.get(_TAG_COLUMN, [ANY]))
    lowers = sorted(required.get(_LOWER_COLUMN, [ANY]))
    return [(tag, lower) for tag in tags for lower in lowers]


@Language.factory(FACTORY, default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool):
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_rules(nlp: Language, name: str = "attribute_ruler") -> None:
    """Replace the pipeline's attribute ruler ``name`` by an indexed one with its rules."""
    if name not in nlp.pipe_names or isinstance(nlp.get_pipe(name), IndexedAttributeRuler):
        return
    rules = nlp.get_pipe(name).patterns
    indexed = nlp.replace_pipe(name, FACTORY)
    indexed.add_patterns(rules)
