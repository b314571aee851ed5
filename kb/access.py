"""Who is reading (`Viewer`) and the sensitivity levels a document may declare.

The rule, enforced as a filter inside retrieval (kb/index/filters.py): a `public` document is
readable by anyone, an `internal` one by anyone signed in, a `restricted` one by admins,
members of its department and the departments and users named in its `audience`.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("public", "internal", "restricted")
# Other words people write for a level; an unknown word is refused, never guessed.
LEVEL_ALIASES = {"confidential": "restricted"}


def normalize_sensitivity(value: str) -> str | None:
    """The level `value` names, or None when it names none."""
    key = str(value).strip().lower()
    key = LEVEL_ALIASES.get(key, key)
    return key if key in LEVELS else None


def level_of(sensitivity: str, default: str) -> str | None:
    """The level a document is read at: the one it declares, else `default`."""
    return normalize_sensitivity(sensitivity) if sensitivity else default


@dataclass(frozen=True)
class Viewer:
    signed_in: bool
    name: str = ""
    departments: tuple[str, ...] = ()
    admin: bool = False

    @classmethod
    def anonymous(cls) -> Viewer:
        return cls(signed_in=False)

    @classmethod
    def system(cls) -> Viewer:
        """The CLI and evaluations: they have the files, so they read everything."""
        return cls(signed_in=True, name="", admin=True)

    @property
    def reads_everything(self) -> bool:
        return self.admin

    def can_read(
        self, sensitivity: str, department: str, audience: list[str], default: str
    ) -> bool:
        """The rule for one document (what the SQL filter computes for many)."""
        level = level_of(sensitivity, default)
        if self.admin or level == "public":
            return True
        if not self.signed_in:
            return False
        if level == "internal":
            return True
        allowed = {department, *audience}
        return bool(allowed & {*self.departments, *([self.name] if self.name else [])})
