"""The glossary terms a brief uses, with their definitions (accepted terms, not deprecated)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kb.glossary.model import Term
from kb.kickoff.model import GlossaryMatch


def usable_terms(terms: Iterable[Term]) -> list[Term]:
    """Accepted glossary terms that are not deprecated, approved ones first."""
    live = [t for t in terms if t.decision == "accepted" and t.status != "deprecated"]
    return sorted(live, key=lambda t: (t.status != "approved", t.label.casefold()))


def form_pattern(form: str, acronym: bool) -> re.Pattern:
    """Whole-word matches of a form, plural allowed; acronyms only in capitals ("CAB", not "cab")."""
    flags = 0 if acronym else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?:s|es)?(?![\w-])", flags)


def find_in(text: str, term: Term) -> str:
    """How the brief writes the term (first form found), or ''."""
    for form in term.forms:
        is_acronym = form == term.acronym and form.isupper()
        match = form_pattern(form, is_acronym).search(text)
        if match:
            return match.group(0)
    return ""


def glossary_matches(text: str, terms: Iterable[Term]) -> list[GlossaryMatch]:
    """Glossary terms the brief mentions, in the order it first mentions them."""
    found = []
    for term in usable_terms(terms):
        surface = find_in(text, term)
        if surface:
            position = text.find(surface)
            match = GlossaryMatch(
                term.key, term.label, term.definition, surface, term.acronym, term.status
            )
            found.append((position, match))
    return [match for _, match in sorted(found, key=lambda pair: pair[0])]


def covered_words(terms: Iterable[Term]) -> set[str]:
    """Lower-cased forms of the glossary's terms and the words in them: never jargon."""
    covered: set[str] = set()
    for term in usable_terms(terms):
        for form in term.forms:
            covered.add(form.casefold())
            covered.update(re.findall(r"\w+", form.casefold()))
    return covered
