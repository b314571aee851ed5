"""Contributions: lessons, retrospectives and meeting notes written on the web or the API.

A contribution is a private draft of its author until it is submitted for review; a
reviewer then publishes it (it becomes a Markdown file under KB_CONTRIBUTIONS_DIR, indexed
at once) or returns it with a comment. Every state change is kept, with who made it and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.glossary.model import User
from kb.problems import InputError

DRAFT, SUBMITTED, RETURNED, PUBLISHED = "draft", "submitted", "returned", "published"
STATES = (DRAFT, SUBMITTED, RETURNED, PUBLISHED)
EDITABLE = (DRAFT, RETURNED, PUBLISHED)  # editing a published one starts its next version
WRITER_ROLES = ("contributor", "editor", "admin")
MAX_COMMENT_CHARS = 2_000


class ContributionError(InputError):
    """A document or a change that cannot be taken; `field` names the input at fault."""


class NoSuchContribution(LookupError):
    """No contribution of that id that the asker may see."""


@dataclass(frozen=True)
class Change:
    user: str
    at: str
    from_status: str
    to_status: str
    comment: str = ""
    version: int = 0


@dataclass(frozen=True)
class Contribution:
    id: str
    author: str
    department: str
    doc_type: str
    status: str
    document: dict  # the record: fields, `sections` {key: text}, `related` [ids]
    created_at: str
    updated_at: str
    published_path: str = ""
    version: int = 0
    history: list[Change] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.document.get("title", ""))

    @property
    def positive(self) -> bool:
        """A lesson of what went well, not of what went wrong (for contribution health)."""
        sections = self.document.get("sections") or {}
        return (
            bool(str(sections.get("went_well", "")).strip())
            and not str(sections.get("did_not_go_well", "")).strip()
        )

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "author": self.author,
            "department": self.department,
            "type": self.doc_type,
            "status": self.status,
            "title": self.title,
            "document": self.document,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "published_path": self.published_path,
            "version": self.version,
            "history": [change.__dict__ for change in self.history],
        }


@dataclass(frozen=True)
class ReviewRules:
    """Who may publish what (from the settings: KB_CONTRIBUTORS_PUBLISH_OWN)."""

    publish_own: bool = False

    def may_write(self, user: User | None, department: str = "") -> bool:
        """Contributors write for their departments; editors and admins for any."""
        if user is None or user.role not in WRITER_ROLES:
            return False
        return user.can_edit or not department or department in user.departments

    def may_review(self, user: User | None, item: Contribution) -> bool:
        """Editors, and contributors of its department; its author only if allowed."""
        if user is None or (user.name == item.author and not self.publish_own):
            return False
        member = user.role == "contributor" and item.department in user.departments
        return user.can_edit or member

    def may_see(self, user: User | None, item: Contribution) -> bool:
        """Drafts (returned ones too) are their author's; reviewers of its department and
        editors see what was submitted or published."""
        if user is None:
            return False
        if user.name == item.author:
            return True
        if item.status not in (SUBMITTED, PUBLISHED):
            return False
        return user.can_edit or (user.role == "contributor" and item.department in user.departments)
