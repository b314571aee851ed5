"""Problems found in input files, reported by `kb validate` and the indexer's summary."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None
    field: str | None = None
    severity: str = "error"  # "error" rejects the document; "warning" only informs

    def location(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return where

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class InputError(ValueError):
    """A value a person gave cannot be used; `field` names the input at fault (a form field,
    a query parameter, a CLI option) for a 422 or a CLI message."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    @property
    def parameter(self) -> str:
        """The field, as query parameters call it."""
        return self.field


class DocumentError(ValueError):
    """A record cannot become a Document; carries where and which field."""

    def __init__(self, message: str, field: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line

    def to_problem(self, path: str, line: int | None = None) -> Problem:
        return Problem(path, self.message, line=self.line or line, field=self.field)


class IndexUnavailableError(RuntimeError):
    """The index directory is missing, incomplete or unreadable."""
