"""The access matrix's fixture: documents of every level, each carrying a marker word of its
own, the people who look at them, and the reading rule the tests expect, written out here
independently of kb.access so a slip in either one shows.

A marker ("zq" and a plant name) is the document's id, title word, tag, a word of its text
next to the query's words (so snippets show it) and a word of one section heading, so any
surface that lets a document through shows its marker, and a surface that should not
show it has no other way to leak it unnoticed. To test a new kind of person, add a `Person`
to PEOPLE; a new document, a line to DOCS: every matrix test then covers it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import markdown_doc

QUERY = "valve gasket cracked in the cold"
DEFAULT_LEVEL = "internal"  # KB_DEFAULT_SENSITIVITY for the documents that declare none
MARKER = re.compile(r"(?<![a-z])zq[a-z]+")  # also inside slugs: field_log_zqaster
PASSWORD = "a long passphrase"


@dataclass(frozen=True)
class Doc:
    marker: str  # also the document's id
    department: str
    level: str | None  # as written in the front matter; None: no `sensitivity` field
    audience: tuple[str, ...] = ()
    type: str = "lesson"
    year: int = 2020

    @property
    def id(self) -> str:
        return self.marker


DOCS = (
    Doc("zqaster", "Engineering", "public", year=2019),
    Doc("zqbirch", "Engineering", "internal", type="retrospective", year=2020),
    Doc("zqcedar", "Engineering", "restricted", year=2021),
    Doc("zqdahlia", "Finance", "public", type="retrospective", year=2021),
    Doc("zqelm", "Finance", "confidential", year=2022),  # the alias of restricted
    Doc("zqfern", "Finance", "internal", year=2019),
    Doc("zqgorse", "Legal", "restricted", audience=("Finance", "carol"), year=2023),
    Doc("zqhazel", "Legal", None, type="retrospective", year=2022),  # DEFAULT_LEVEL
    Doc("zqkale", "Legal", "restricted", year=2020),
    Doc("zqiris", "Operations", "public", year=2023),
    Doc("zqjuniper", "Operations", "restricted", type="retrospective", year=2024),
)
DEPARTMENTS = sorted({doc.department for doc in DOCS})


@dataclass(frozen=True)
class Person:
    key: str  # the test id
    name: str = ""  # the account's name; "" is an anonymous visitor
    role: str = "reader"
    departments: tuple[str, ...] = ()

    @property
    def signed_in(self) -> bool:
        return bool(self.name)


PEOPLE = (
    Person("anonymous"),
    Person("no-department", "sam"),
    Person("engineering", "erin", departments=("Engineering",)),
    Person("finance", "fiona", departments=("Finance",)),
    Person("legal", "lena", departments=("Legal",)),
    Person("operations", "otto", departments=("Operations",)),
    Person("two-departments", "tess", departments=("Engineering", "Operations")),
    Person("audience-user", "carol", departments=("Sales",)),
    Person("editor-of-finance", "ed", role="editor", departments=("Finance",)),
    Person("admin", "ada", role="admin"),
)
SIGNED_IN = tuple(person for person in PEOPLE if person.signed_in)


def may_read(person: Person, doc: Doc) -> bool:
    """The rule of issue #22: public to anyone, internal to anyone signed in, restricted
    (and its alias confidential) to admins, the department and its named audience."""
    level = doc.level or DEFAULT_LEVEL
    level = "restricted" if level == "confidential" else level
    if person.role == "admin" or level == "public":
        return True
    if not person.signed_in:
        return False
    if level == "internal":
        return True
    return bool({doc.department, *doc.audience} & {*person.departments, person.name})


def readable(person: Person) -> list[Doc]:
    return [doc for doc in DOCS if may_read(person, doc)]


def unreadable(person: Person) -> list[Doc]:
    return [doc for doc in DOCS if not may_read(person, doc)]


def markers(text: str) -> set[str]:
    """Every marker word in a response body."""
    return set(MARKER.findall(text))


def facet_counts(docs: list[Doc]) -> dict[str, dict[str, int]]:
    """What the search page's facets count for `docs`, as {facet: {value: count}}."""
    return {
        "department": dict(Counter(doc.department for doc in docs)),
        "type": dict(Counter(doc.type for doc in docs)),
        "year": dict(Counter(str(doc.year) for doc in docs)),
        "tags": dict(Counter(doc.marker for doc in docs)),
        # The fixtures declare no status: each takes the lifecycle's default.
        "status": dict(Counter("lesson-identified" for doc in docs)),
    }


def sentence(doc: Doc) -> str:
    """The sentence of the document that names its marker beside the query's words."""
    return f"The valve gasket of unit {doc.marker} cracked in the cold."


def document_text(doc: Doc) -> str:
    front = f"id: {doc.id}\ntags: [{doc.marker}]\n"
    if doc.level is not None:
        front += f"sensitivity: {doc.level}\n"
    if doc.audience:
        front += f"audience: [{', '.join(doc.audience)}]\n"
    first = "What happened" if doc.type == "lesson" else "What did not go well"
    return markdown_doc(
        f"Gasket report {doc.marker}",
        doc_type=doc.type,
        department=doc.department,
        date=f"{doc.year}-03-01",
        sections={
            first: sentence(doc),
            f"Field log {doc.marker}": "Warm the valve gaskets before a cold start.",
        },
        extra_front=front,
    )


def write_access_corpus(root: Path) -> Path:
    for doc in DOCS:
        path = root / doc.department.lower() / f"{doc.id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document_text(doc), encoding="utf-8")
    return root
