"""The glossary's data at its boundaries: users, sessions, terms, candidates, pages of results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# reader: reads; contributor: may add documents; editor: also decides on the glossary;
# admin: also manages accounts. Older databases only hold reader, editor and admin.
ROLES = ("reader", "contributor", "editor", "admin")
STATUSES = ("draft", "approved", "deprecated")
DECISIONS = ("accepted", "rejected", "deferred", "merged")
PENDING = "pending"
QUEUE_STATUSES = (PENDING, *DECISIONS, "all")
LIST_SEPARATOR = " | "  # how list fields are joined in CSV and one-line inputs


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: str = ""
    departments: tuple[str, ...] = ()  # read by the access filter; sorted, no duplicates

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_edit(self) -> bool:
        return self.role in ("editor", "admin")


@dataclass(frozen=True)
class Session:
    user: User
    expires_at: str
    csrf_token: str
    token: str = ""  # the raw cookie value; only set on the session just created


@dataclass(frozen=True)
class TermFields:
    """What an editor sets on a term (everything but its key and the bookkeeping)."""

    label: str
    definition: str = ""
    acronym: str = ""
    synonyms: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    owner: str = ""
    status: str = "draft"


EDITABLE = tuple(TermFields.__dataclass_fields__)


@dataclass(frozen=True)
class Term:
    key: str
    label: str
    definition: str = ""
    acronym: str = ""
    synonyms: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    owner: str = ""
    status: str = "draft"
    decision: str = "accepted"
    reason: str = ""
    merged_into: str = ""
    version: int = 0
    updated_at: str = ""
    updated_by: str = ""

    @property
    def fields(self) -> TermFields:
        return TermFields(**{name: getattr(self, name) for name in EDITABLE})

    @property
    def forms(self) -> list[str]:
        """Label, acronym and synonyms: every way of writing this term."""
        return [form for form in (self.label, self.acronym, *self.synonyms) if form]

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(synonyms=list(self.synonyms), related=list(self.related))
        return data


@dataclass(frozen=True)
class HistoryEntry:
    term_key: str
    version: int
    user: str
    at: str
    action: str
    changes: dict[str, list] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Context:
    doc_id: str
    sentence: str


@dataclass(frozen=True)
class Candidate:
    """One row of a generation's `term_candidates` table, as the miner wrote it."""

    term: str
    display: str
    score: float
    rank: int
    accepted: bool
    frequency: int
    document_frequency: int
    departments: dict[str, int]
    variants: dict[str, int]
    acronym: str
    expansion: str
    contexts: tuple[Context, ...]
    doc_ids: tuple[str, ...]

    @classmethod
    def from_row(cls, row: dict) -> Candidate:
        # A sentence quoted twice (overlapping passages, or a paragraph copied between
        # lessons) is shown once, from the first document that has it.
        by_sentence = {}
        for c in row["contexts"]:
            sentence = str(c.get("sentence", ""))
            by_sentence.setdefault(sentence, Context(str(c.get("doc_id", "")), sentence))
        contexts = tuple(by_sentence.values())
        return cls(
            term=row["term"],
            display=row["display"],
            score=float(row["score"]),
            rank=int(row["rank"]),
            accepted=bool(row["accepted"]),
            frequency=int(row["frequency"]),
            document_frequency=int(row["document_frequency"]),
            departments=dict(row["departments"]),
            variants=dict(row["variants"]),
            acronym=row["acronym"] or "",
            expansion=row["expansion"] or "",
            contexts=contexts,
            doc_ids=tuple(row["doc_ids"]),
        )

    @property
    def surface_forms(self) -> list[str]:
        """The display form, then the variants, most frequent first."""
        ordered = sorted(self.variants, key=lambda form: (-self.variants[form], form))
        return _unique([self.display, *ordered])

    def to_dict(self) -> dict:
        data = asdict(self)
        data["contexts"] = [asdict(c) for c in self.contexts]
        data["doc_ids"] = list(self.doc_ids)
        return data


@dataclass(frozen=True)
class DocumentRef:
    id: str
    title: str
    department: str


@dataclass(frozen=True)
class QueueItem:
    candidate: Candidate
    term: Term | None  # the editorial row, if anyone has decided on this key

    @property
    def status(self) -> str:
        return self.term.decision if self.term else PENDING

    @property
    def version(self) -> int:
        return self.term.version if self.term else 0

    def to_dict(self) -> dict:
        return {
            **self.candidate.to_dict(),
            "status": self.status,
            "version": self.version,
            "decided": self.term.to_dict() if self.term else None,
        }


@dataclass(frozen=True)
class QueueFilters:
    department: str = ""
    status: str = PENDING
    above_cutoff: bool = False
    page: int = 1
    per_page: int = 20
    query: str = ""  # part of the key, the form shown or the label an editor gave


@dataclass(frozen=True)
class QueuePage:
    filters: QueueFilters
    items: list[QueueItem]
    total: int
    documents: dict[str, DocumentRef]  # the documents the items' contexts come from
    departments: list[str]  # every department a candidate occurs in, for the filter

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))

    def to_dict(self) -> dict:
        return {
            "filters": asdict(self.filters),
            "total": self.total,
            "pages": self.pages,
            "items": [item.to_dict() for item in self.items],
            "documents": {key: asdict(doc) for key, doc in self.documents.items()},
            "departments": self.departments,
        }


@dataclass(frozen=True)
class Usage:
    """A term in one department: documents using it, and occurrences of its forms there."""

    documents: int
    occurrences: int


@dataclass(frozen=True)
class TermPage:
    term: Term
    history: list[HistoryEntry]
    documents: list[DocumentRef]
    departments: dict[str, Usage]  # most documents first
    related: list[Term]  # the related terms that are in the glossary, resolved
    merged: list[str]  # keys merged into this term

    def to_dict(self) -> dict:
        return {
            **self.term.to_dict(),
            "history": [entry.to_dict() for entry in self.history],
            "documents": [asdict(doc) for doc in self.documents],
            "departments": {name: asdict(usage) for name, usage in self.departments.items()},
            "related_terms": [{"key": t.key, "label": t.label} for t in self.related],
            "merged": self.merged,
        }


@dataclass(frozen=True)
class BulkResult:
    done: list[str]
    skipped: dict[str, str]  # key -> why


@dataclass(frozen=True)
class ImportReport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def _unique(forms) -> list[str]:
    seen: set[str] = set()
    out = []
    for form in forms:
        folded = form.casefold()
        if form and folded not in seen:
            seen.add(folded)
            out.append(form)
    return out


unique_forms = _unique
