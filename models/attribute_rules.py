"""spaCy's attribute ruler with its single-token rules looked up instead of matched.

The English pipeline's attribute ruler maps each fine-grained tag to its part of speech and
morphology, plus exceptions for particular words, as 179 Matcher rules. spaCy's Matcher
tries every rule at every token, which took as long as the tagger's whole neural network on
NASA text. Nearly every rule tests one token for equal values or membership (TAG, LOWER,
IS_SPACE, DEP), so such rules are indexed by tag and lower-case form and checked only
against the tokens they can match; the few others (several tokens, regular expressions)
still go through a Matcher. The matches are then applied by spaCy's own code, in its order,
so the annotations are the same (a slow test compares them on real text).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

FACTORY = "indexed_attribute_ruler"
_ATTRS = {"TAG": TAG, "LOWER": LOWER, "IS_SPACE": IS_SPACE, "DEP": DEP}
# Positions of the tag and the lower-case form in a token's row of `_ATTRS` values.
_TAG_COLUMN, _LOWER_COLUMN = list(_ATTRS).index("TAG"), list(_ATTRS).index("LOWER")
ANY = -1  # index key of a rule that does not test the tag or the lower-case form


@dataclass(frozen=True)
class SingleTokenRule:
    """One rule's pattern over one token: every test is ``(column, allowed, negated)``."""

    rule: int
    match_id: int
    tests: tuple[tuple[int, frozenset, bool], ...]

    def matches(self, row: list[int]) -> bool:
        return all((row[column] in allowed) != negated for column, allowed, negated in self.tests)


class IndexedAttributeRuler(AttributeRuler):
    """An `AttributeRuler` whose `match` gives the same matches, found by lookup."""

    _index: _RuleIndex | None = None  # built at the first match after rules change

    def add(self, patterns, attrs, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._index = None

    def clear(self) -> None:
        super().clear()
        self._index = None

    def match(self, doc: Doc):
        if self._index is None:
            self._index = _RuleIndex.build(self)
        return self._index.match(doc)


class _RuleIndex:
    def __init__(self, rules: list[SingleTokenRule], matcher: Matcher):
        self.matcher = matcher
        self.by_key: dict[tuple[int, int], list[SingleTokenRule]] = defaultdict(list)
        for rule in rules:
            for key in _index_keys(rule):
                self.by_key[key].append(rule)

    @classmethod
    def build(cls, ruler: AttributeRuler) -> _RuleIndex:
        strings = ruler.vocab.strings
        rules, matcher = [], Matcher(ruler.vocab, validate=ruler.validate)
        for number, rule in enumerate(ruler.patterns):
            match_id = strings.add(str(number))
            for pattern in rule["patterns"]:
                single = _single_token_rule(number, match_id, pattern, strings)
                if single is None:
                    matcher.add(match_id, [pattern])
                else:
                    rules.append(single)
        return cls(rules, matcher)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(rule number, match id, start, end), sorted as `AttributeRuler.match` sorts them."""
        found = set()
        if len(self.matcher):
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                found.add((int(doc.vocab.strings[match_id]), match_id, start, end))
        table = doc.to_array(list(_ATTRS.values()))
        by_key = self.by_key
        for i, row in enumerate(table.tolist()):
            tag, lower = row[_TAG_COLUMN], row[_LOWER_COLUMN]
            for key in ((tag, lower), (tag, ANY), (ANY, lower), (ANY, ANY)):
                for rule in by_key.get(key, ()):
                    if rule.matches(row):
                        found.add((rule.rule, rule.match_id, i, i + 1))
        return sorted(found)


def _single_token_rule(number: int, match_id: int, pattern, strings) -> SingleTokenRule | None:
    """The pattern as lookups, or None when it needs the Matcher."""
    if len(pattern) != 1:
        return None
    tests = []
    for key, value in pattern[0].items():
        if key not in _ATTRS:
            return None
        test = _test(list(_ATTRS).index(key), value, strings)
        if test is None:
            return None
        tests.append(test)
    return SingleTokenRule(number, match_id, tuple(tests))


def _test(column: int, value, strings) -> tuple[int, frozenset, bool] | None:
    if isinstance(value, bool):
        return column, frozenset([int(value)]), False
    if isinstance(value, str):
        return column, frozenset([strings.add(value)]), False
    if isinstance(value, dict) and len(value) == 1:
        operator, values = next(iter(value.items()))
        if operator in ("IN", "NOT_IN") and all(isinstance(v, str) for v in values):
            return column, frozenset(strings.add(v) for v in values), operator == "NOT_IN"
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
    if name not in nlp.pipe_names:
        return
    rules = nlp.get_pipe(name).patterns
    indexed = nlp.replace_pipe(name, FACTORY)
    indexed.add_patterns(rules)
