"""Contested terms at their boundary: one term's usage by department, and a page of them."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class DepartmentUsage:
    department: str
    documents: int  # its documents with the term in context
    words: tuple[str, ...]  # the context words most its own


@dataclass(frozen=True)
class ContestedTerm:
    term: str
    display: str
    score: float  # (within - across) * log2(1 + sources): how differently, by use
    within: float  # how alike a department's contexts are among its own documents
    across: float  # how alike two departments' contexts are
    documents: int
    departments: tuple[DepartmentUsage, ...]  # most documents first

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ContestedTerm:
        usage = tuple(
            DepartmentUsage(u["department"], u["documents"], tuple(u["words"]))
            for u in data["departments"]
        )
        return cls(**{**data, "departments": usage})


@dataclass(frozen=True)
class ContestedPage:
    items: list[ContestedTerm]
    total: int
    page: int
    per_page: int
    available: bool = True  # False: the index predates contested terms (run `kb index`)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "per_page": self.per_page,
            "available": self.available,
            "items": [item.to_dict() for item in self.items],
        }
