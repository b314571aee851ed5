"""ContributionDesk: write, submit, review and publish contributions.

Publishing validates the Markdown file as `kb index` will read it, writes it atomically
(a temp file renamed over the old version) under KB_CONTRIBUTIONS_DIR/<department>/ and
hands it to the publisher (the composition root's incremental indexing) at once.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from kb.contributions.document import check_file_text, check_record, to_markdown
from kb.contributions.model import (
    DRAFT,
    EDITABLE,
    MAX_COMMENT_CHARS,
    PUBLISHED,
    RETURNED,
    SUBMITTED,
    Change,
    Contribution,
    ContributionError,
    NoSuchContribution,
    ReviewRules,
)  # fmt: skip
from kb.documents.limits import InputLimits
from kb.glossary.clock import Clock, utc_now
from kb.glossary.model import User
from kb.problems import IndexUnavailableError
from kb.settings import Settings
from kb.state import StateDB
from kb.text import slug

if TYPE_CHECKING:
    from kb.contributions.rows import ContributionRows

Publisher = Callable[[list[Path]], None]  # indexes the files just written
MAX_SLUG_CHARS = 60
NO_PUBLISHER = "this server cannot publish: it was started without an indexer (use kb serve)"


def contributions_root(settings: Settings) -> Path:
    """Where published contributions are written: KB_CONTRIBUTIONS_DIR, else inside KB_DIR
    (every `kb index` run reads it too: indexer/pipeline.py)."""
    folder = settings.contributions_dir or Path(settings.kb_dir) / "contributions"
    return Path(folder).expanduser().resolve()


@dataclass(frozen=True)
class DeskSettings:
    root: Path
    rules: ReviewRules
    limits: InputLimits

    @classmethod
    def from_settings(cls, settings: Settings) -> DeskSettings:
        rules = ReviewRules(publish_own=settings.contributors_publish_own)
        return cls(contributions_root(settings), rules, InputLimits.from_settings(settings))


class ContributionDesk:
    def __init__(
        self,
        config: DeskSettings,
        state: StateDB,
        publisher: Publisher | None,
        clock: Clock = utc_now,
        on_change: Callable[[User, Contribution], None] | None = None,
    ):
        self.config = config
        self.rules = config.rules
        self.state = state
        self.publisher = publisher
        self.clock = clock
        self.on_change = on_change  # told of every new state (usage events for insights)

    @cached_property
    def rows(self) -> ContributionRows:
        from kb.contributions.rows import ContributionRows  # SQLAlchemy on first use

        return ContributionRows(self.state)

    def create(self, user: User, record) -> Contribution:
        """A new draft of `user`; PermissionError for readers, ContributionError for a bad
        document."""
        if not self.rules.may_write(user):
            raise PermissionError(
                f"Only contributors and editors write lessons; {user.name} is a {user.role}."
            )
        new_id = "c" + secrets.token_hex(6)
        checked = self._check(user, record, new_id)
        now = self._now()
        item = Contribution(new_id, user.name, checked.document.department, checked.document.type,
                            DRAFT, checked.record, now, now)  # fmt: skip
        change = Change(user.name, now, "", DRAFT)
        self.rows.add(item, change)
        return self._changed(user, replace(item, history=[change]))

    def update(self, user: User, contribution_id: str, record) -> Contribution:
        """The author's new text; a published one becomes the draft of its next version."""
        item = self._own(user, contribution_id)
        if item.status not in EDITABLE:
            raise ContributionError("status", f"a {item.status} contribution cannot be edited")
        checked = self._check(user, record, item.id)
        changed = replace(item, document=checked.record, department=checked.document.department,
                          doc_type=checked.document.type, updated_at=self._now())  # fmt: skip
        return (
            self._move(user, changed, DRAFT, "")
            if item.status == PUBLISHED
            else self._keep(changed)
        )

    def submit(self, user: User, contribution_id: str) -> Contribution:
        item = self._own(user, contribution_id)
        if item.status not in (DRAFT, RETURNED):
            raise ContributionError(
                "status", f"only drafts are submitted; this one is {item.status}"
            )
        return self._move(user, item, SUBMITTED, "")

    def send_back(self, user: User, contribution_id: str, comment: str) -> Contribution:
        item = self._reviewable(user, contribution_id)
        text = _comment(comment)
        if not text:
            raise ContributionError("comment", "say what the author should change")
        return self._move(user, item, RETURNED, text)

    def publish(self, user: User, contribution_id: str, comment: str = "") -> Contribution:
        item = self._reviewable(user, contribution_id)
        if self.publisher is None:  # checked first: nothing is written that nobody indexes
            raise IndexUnavailableError(NO_PUBLISHER)
        path = self._write_file(item)
        published = replace(item, published_path=str(path), version=item.version + 1)
        result = self._move(user, published, PUBLISHED, _comment(comment), item.document)
        self.publisher([path])
        return result

    def get(self, user: User | None, contribution_id: str) -> Contribution:
        item = self.rows.get(contribution_id[:40])
        if item is None or not self.rules.may_see(user, item):
            raise NoSuchContribution(f"no contribution {contribution_id[:40]!r} that you may see")
        return item

    def versions(self, user: User | None, contribution_id: str) -> list[dict]:
        """The documents of every version published, oldest first (none before the first)."""
        return self.rows.published_versions(self.get(user, contribution_id).id)

    def mine(self, user: User, statuses: tuple[str, ...] = ()) -> list[Contribution]:
        return self.rows.listing(author=user.name, statuses=statuses)

    def queue(self, user: User) -> list[Contribution]:
        """Submitted contributions `user` may publish or return, oldest first."""
        waiting = self.rows.listing(statuses=(SUBMITTED,))
        return [item for item in reversed(waiting) if self.rules.may_review(user, item)]

    def visible(self, user: User, statuses: tuple[str, ...] = ()) -> list[Contribution]:
        """Everything `user` may see: their own, and what they may review or have reviewed."""
        return [i for i in self.rows.listing(statuses=statuses) if self.rules.may_see(user, i)]

    def _check(self, user: User, record, doc_id: str):
        checked = check_record(record, doc_id, self.config.limits)
        if not self.rules.may_write(user, checked.document.department):
            raise PermissionError(
                f"{user.name} writes for {', '.join(user.departments) or 'no department'}, "
                f"not {checked.document.department}."
            )
        return checked

    def _own(self, user: User, contribution_id: str) -> Contribution:
        item = self.get(user, contribution_id)
        if item.author != user.name:
            raise PermissionError("Only its author changes or submits a contribution.")
        return item

    def _reviewable(self, user: User, contribution_id: str) -> Contribution:
        """A submitted contribution `user` may review; PermissionError (not 'no such') for
        anyone else who names one: readers asking to publish learn they may not."""
        item = self.rows.get(contribution_id[:40])
        if item is None:
            raise NoSuchContribution(f"no contribution {contribution_id[:40]!r}")
        if not self.rules.may_review(user, item):
            raise PermissionError(
                "Only editors and contributors of its department publish or return a "
                "contribution, and not its author (KB_CONTRIBUTORS_PUBLISH_OWN)."
            )
        if item.status != SUBMITTED:
            raise ContributionError(
                "status", f"only submitted ones are reviewed; this one is {item.status}"
            )
        return item

    def _move(self, user, item, status: str, comment: str, published=None) -> Contribution:
        change = Change(user.name, self._now(), item.status, status, comment, item.version)
        moved = replace(item, status=status, updated_at=change.at, history=[*item.history, change])
        self.rows.save(moved, change, published)
        return self._changed(user, moved)

    def _changed(self, user: User, item: Contribution) -> Contribution:
        if self.on_change is not None:
            self.on_change(user, item)
        return item

    def _keep(self, item: Contribution) -> Contribution:
        self.rows.save(item, None)
        return item

    def _write_file(self, item: Contribution) -> Path:
        """The file of this version, validated, then written atomically."""
        path = Path(item.published_path) if item.published_path else self._new_path(item)
        text = to_markdown(item.document, item.id)
        relative = str(path.relative_to(self.config.root))
        check_file_text(text, str(path), relative, self.config.limits)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".md")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return path

    def _new_path(self, item: Contribution) -> Path:
        folder = slug(item.department, default="department")[:MAX_SLUG_CHARS]
        name = slug(item.title, default="contribution")[:MAX_SLUG_CHARS].rstrip("-")
        return self.config.root / folder / f"{name}-{item.id}.md"

    def _now(self) -> str:
        return self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")


def _comment(text: str) -> str:
    value = (text or "").strip()
    if len(value) > MAX_COMMENT_CHARS:
        raise ContributionError(
            "comment", f"is {len(value):,} characters; at most {MAX_COMMENT_CHARS:,}"
        )
    return value
