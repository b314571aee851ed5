"""Action items as a person sees them: those of the documents they may read (from the index)
and those added on the web, each with its current status (the newest change in the state
database, else the document's own tick box), and who may change them."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from kb.access import Viewer
from kb.actions.model import (
    MAX_NOTE_CHARS,
    MAX_OWNER_CHARS,
    MAX_TEXT_CHARS,
    ActionError,
    ActionItem,
    ActionUpdate,
    action_id,
    check_due,
    check_status,
    check_text,
    same_person,
)
from kb.glossary.clock import Clock, utc_now
from kb.glossary.model import User
from kb.knowledge_base import KnowledgeBase
from kb.state import StateDB

if TYPE_CHECKING:
    from kb.actions.rows import ActionRows


def viewer_of(user: User) -> Viewer:
    return Viewer(True, user.name, user.departments, admin=user.is_admin)


def may_follow_up(user: User | None, item: ActionItem) -> bool:
    """Editors and admins; contributors of the document's department; the named owner."""
    if user is None:
        return False
    return may_add(user, item.department) or same_person(item.owner, user.name)


def may_add(user: User | None, department: str) -> bool:
    if user is None:
        return False
    member = user.role == "contributor" and department in user.departments
    return user.can_edit or member


class ActionBook:
    def __init__(self, kb: KnowledgeBase, state: StateDB, clock: Clock = utc_now):
        self.kb = kb
        self.state = state
        self.clock = clock

    @cached_property
    def rows(self) -> ActionRows:
        from kb.actions.rows import ActionRows  # SQLAlchemy loads on first use, not at start

        return ActionRows(self.state)

    def today(self) -> date:
        return self.clock().date()

    def items(self, viewer: Viewer, department: str = "") -> list[ActionItem]:
        """Every action item `viewer` may see (of `department` only, if given)."""
        latest = self.rows.latest_updates()
        listed = [
            _document_item(row, latest.get(action_id(row["doc_id"], row["text"])))
            for row in self.kb.action_listing(viewer, department)
        ]
        return listed + self._added(viewer, department, latest)

    def for_document(self, doc_id: str, viewer: Viewer) -> list[ActionItem]:
        """A document's items with their whole history ([] if `viewer` may not read it)."""
        view = self.kb.document(doc_id, viewer)
        if view is None:
            return []
        found = [i for i in self.items(viewer, view.document.department) if i.doc_id == doc_id]
        history = self.rows.history([item.id for item in found])
        return [replace(item, history=history.get(item.id, [])) for item in found]

    def find(self, item_id: str, viewer: Viewer) -> ActionItem:
        for item in self.items(viewer):
            if item.id == item_id:
                return item
        raise ActionError("action_id", f"no action {item_id[:40]!r} that you may read")

    def change(self, user: User, item_id: str, status: str, note: str = "") -> ActionItem:
        """Record a status change by `user`; PermissionError if they may not make it."""
        item = self.find(item_id, viewer_of(user))
        if not may_follow_up(user, item):
            raise PermissionError(
                "Only editors, contributors of the document's department and the action's "
                "owner change its status."
            )
        update = ActionUpdate(
            item.id,
            check_status(status),
            check_text("note", note, MAX_NOTE_CHARS, required=False),
            user.name,
            self._now(),
        )
        self.rows.add_update(update)
        return replace(item, status=update.status, history=[*item.history, update])

    def add(self, user: User, doc_id: str, text: str, owner: str, due: str) -> ActionItem:
        """A new open action on a document `user` may read and add actions to."""
        view = self.kb.document(doc_id, viewer_of(user))
        if view is None:
            raise ActionError("doc_id", f"no document {doc_id[:80]!r} that you may read")
        if not may_add(user, view.document.department):
            raise PermissionError(
                "Only editors and contributors of the document's department add actions."
            )
        row = {
            "id": "w" + secrets.token_hex(8),
            "doc_id": doc_id,
            "text": check_text("text", text, MAX_TEXT_CHARS, required=True),
            "owner": check_text("owner", owner, MAX_OWNER_CHARS, required=False),
            "due": check_due(due),
            "created_by": user.name,
            "created_at": self._now(),
        }
        self.rows.add_item(row)
        card = {"title": view.document.title, "department": view.document.department}
        return _web_item(row, card, None)

    def _added(self, viewer: Viewer, department: str, latest: dict) -> list[ActionItem]:
        rows = self.rows.added_items()
        cards = self.kb.document_cards([row["doc_id"] for row in rows], viewer)
        return [
            _web_item(row, cards[row["doc_id"]], latest.get(row["id"]))
            for row in rows
            if row["doc_id"] in cards
            and (not department or cards[row["doc_id"]]["department"] == department)
        ]

    def _now(self) -> str:
        return self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")


def _document_item(row, update: ActionUpdate | None) -> ActionItem:
    status = update.status if update else ("done" if row["done"] else "open")
    return ActionItem(
        action_id(row["doc_id"], row["text"]), row["doc_id"], row["title"], row["department"],
        row["text"], row["owner"] or "", row["due"] or "", status, "document", row["date"],
    )  # fmt: skip


def _web_item(row: dict, card, update: ActionUpdate | None) -> ActionItem:
    return ActionItem(
        row["id"], row["doc_id"], card["title"], card["department"], row["text"], row["owner"],
        row["due"], update.status if update else "open", "web", row["created_at"],
    )  # fmt: skip
