"""The glossary as a SKOS concept scheme in Turtle.

Each glossary term becomes `<urn:lessonbase:glossary:SLUG> a skos:Concept` with its label as
skos:prefLabel, synonyms and acronym as skos:altLabel, its definition and its related terms.
Slugs come from the term key, so a term's IRI stays the same from one export to the next.
"""

from __future__ import annotations

import hashlib

from kb.glossary.model import Term
from kb.text import slug

BASE_IRI = "urn:lessonbase:glossary:"
SCHEME_IRI = "urn:lessonbase:glossary"
LANG = "en"
PREFIXES = (
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
)
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def concept_iris(keys: list[str]) -> dict[str, str]:
    """An IRI per key; keys whose slugs collide (or are empty) get a short hash of the key."""
    slugs = {key: slug(key, fold_accents=True) for key in keys}
    counts: dict[str, int] = {}
    for value in slugs.values():
        counts[value] = counts.get(value, 0) + 1
    iris = {}
    for key, value in slugs.items():
        if not value or counts[value] > 1:
            digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
            value = f"{value}-{digest}" if value else digest
        iris[key] = f"<{BASE_IRI}{value}>"
    return iris


def literal(text: str) -> str:
    """A Turtle string literal with a language tag; quotes, backslashes, controls escaped."""
    escaped = "".join(
        _ESCAPES.get(ch, f"\\u{ord(ch):04X}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
        for ch in text
    )
    return f'"{escaped}"@{LANG}'


def _concept(term: Term, iris: dict[str, str]) -> str:
    lines = [
        f"{iris[term.key]} a skos:Concept",
        f"skos:inScheme <{SCHEME_IRI}>",
        f"skos:prefLabel {literal(term.label)}",
    ]
    label = term.label.casefold()
    alternatives = [
        form for form in (*term.synonyms, term.acronym) if form and form.casefold() != label
    ]
    if alternatives:
        lines.append("skos:altLabel " + ", ".join(literal(form) for form in alternatives))
    if term.definition:
        lines.append(f"skos:definition {literal(term.definition)}")
    related = [iris[key] for key in term.related if key in iris]
    if related:
        lines.append("skos:related " + ", ".join(related))
    lines.append(f"skos:notation {literal(term.key).removesuffix('@' + LANG)}")
    if term.status == "deprecated":
        lines.append("owl:deprecated true")
    return " ;\n    ".join(lines) + " .\n"


def to_turtle(terms: list[Term], title: str = "Lessonbase glossary") -> str:
    terms = sorted(terms, key=lambda t: t.key)
    iris = concept_iris([term.key for term in terms])
    scheme = f"<{SCHEME_IRI}> a skos:ConceptScheme ;\n    skos:prefLabel {literal(title)}"
    tops = ", ".join(iris[term.key] for term in terms)
    scheme += f" ;\n    skos:hasTopConcept {tops} .\n" if tops else " .\n"
    return "\n".join([PREFIXES, scheme, *(_concept(term, iris) for term in terms)])
