"""Action items followed through (see kb/actions/model.py)."""

from kb.actions.book import ActionBook, may_add, may_follow_up
from kb.actions.model import STATUSES, ActionError, ActionItem, ActionUpdate

__all__ = [
    "STATUSES",
    "ActionBook",
    "ActionError",
    "ActionItem",
    "ActionUpdate",
    "may_add",
    "may_follow_up",
]
