"""What the glossary refuses, as exceptions the CLI and the web app turn into messages."""

from __future__ import annotations

from dataclasses import dataclass

from kb.glossary.model import Term


class GlossaryError(ValueError):
    """Base class: the message is meant for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFoundError(GlossaryError):
    pass


class PermissionDeniedError(GlossaryError):
    pass


class ConcurrentEditError(GlossaryError):
    """The term changed since the editor loaded it; carries what is stored now."""

    def __init__(self, key: str, expected: int, current: Term | None):
        self.current = current
        self.current_version = current.version if current else 0
        super().__init__(
            f"{key!r} was changed by {current.updated_by if current else 'someone'} "
            f"(now version {self.current_version}, you started from version {expected}); "
            "nothing was saved"
        )


class InvalidFieldsError(GlossaryError):
    """Some fields are not acceptable; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


@dataclass(frozen=True)
class ImportProblem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class ImportFailedError(GlossaryError):
    """An import was refused as a whole; nothing was written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} problem{'' if count == 1 else 's'}; nothing was imported")
