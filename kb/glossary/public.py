"""What everyone may read: the glossary's terms, one term's page, and query expansions."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from kb.glossary.candidates import CandidateSource
from kb.glossary.errors import NotFoundError
from kb.glossary.model import DocumentRef, Term, TermPage, Usage
from kb.index.candidates import Access

if TYPE_CHECKING:
    from kb.glossary.store import TermStore

MAX_MERGE_HOPS = 10


def _match_rank(term: Term, needle: str) -> int | None:
    """0 exact form, 1 a form starts with it, 2 a form contains it, 3 the definition does."""
    forms = [form.casefold() for form in term.forms]
    if needle in forms:
        return 0
    if any(form.startswith(needle) for form in forms):
        return 1
    if any(needle in form for form in forms):
        return 2
    return 3 if needle in term.definition.casefold() else None


class PublicGlossary:
    def __init__(self, terms: TermStore, candidates: CandidateSource):
        self.terms, self.candidates = terms, candidates

    def search(self, query: str = "") -> list[Term]:
        """Glossary terms whose label, acronym, synonyms or definition contain `query`."""
        terms = sorted(self.terms.accepted(), key=lambda t: (t.label.casefold(), t.key))
        needle = query.strip().casefold()
        if not needle:
            return terms
        ranked = [
            (rank, i, t)
            for i, t in enumerate(terms)
            if (rank := _match_rank(t, needle)) is not None
        ]
        return [term for _, _, term in sorted(ranked, key=lambda r: r[:2])]

    def resolve(self, key: str) -> str | None:
        """The glossary term `key` stands for now (following merges), or None."""
        for _ in range(MAX_MERGE_HOPS):
            term = self.terms.get(key)
            if term is None or term.decision in ("rejected", "deferred"):
                return None
            if term.decision == "accepted":
                return key
            key = term.merged_into
        return None

    def term_page(self, key: str, access: Access | None = None) -> TermPage:
        """A glossary term (written by editors, so everyone's) and where it is used, from the
        documents `access` passes only."""
        term = self.terms.get(key)
        if term is None or term.decision != "accepted":
            raise NotFoundError(f"{key!r} is not in the glossary")
        merged = self.terms.merged_into(key)
        documents, departments = self._usage(term, merged, access)
        related = self.terms.get_many(list(term.related))
        return TermPage(
            term=term,
            history=self.terms.history(key),
            documents=documents,
            departments=departments,
            related=[
                related[k]
                for k in term.related
                if k in related and related[k].decision == "accepted"
            ],
            merged=merged,
        )

    def _usage(
        self, term: Term, merged: list[str], access: Access | None
    ) -> tuple[list[DocumentRef], dict[str, Usage]]:
        """Documents of the term's candidates (its own, merged ones' and synonyms'), and per
        department how many of them it has and how often the forms occur there."""
        found = {c.term: c for c in self.candidates.with_forms(term.forms, access)}
        found.update(self.candidates.get_many([term.key, *merged], access))
        occurrences: Counter[str] = Counter()
        doc_ids: set[str] = set()
        for candidate in found.values():
            occurrences.update(candidate.departments)
            doc_ids.update(candidate.doc_ids)
        refs = self.candidates.documents(doc_ids, access)
        documents = sorted(refs.values(), key=lambda d: (d.department, d.title, d.id))
        per_department = Counter(doc.department for doc in documents)
        usage = {
            name: Usage(per_department[name], occurrences[name])
            for name in per_department.keys() | occurrences.keys()
        }
        ordered = sorted(
            usage.items(), key=lambda kv: (-kv[1].documents, -kv[1].occurrences, kv[0])
        )
        return documents, dict(ordered)

    def expansions(self) -> dict[str, list[str]]:
        """Each lower-cased form of an approved term -> the term's other forms (lower-cased).

        E.g. {"rca": ["root cause analysis"], "root cause analysis": ["rca"]}. A form shared
        by two approved terms maps to the other forms of both.
        """
        out: dict[str, list[str]] = {}
        for term in self.terms.accepted():
            if term.status != "approved":
                continue
            forms = list(dict.fromkeys(form.casefold() for form in term.forms))
            for form in forms:
                others = out.setdefault(form, [])
                others.extend(f for f in forms if f != form and f not in others)
        return out
