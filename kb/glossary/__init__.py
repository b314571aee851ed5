"""The glossary editors' workflow: candidates mined by `kb index`, decided on by editors.

Terms, history, users, sessions and API tokens live in the state database (kb/state), apart
from the index generations, so no index run can overwrite an editor's decision.
"""

from kb.glossary.contested_model import ContestedPage, ContestedTerm
from kb.glossary.errors import (
    ConcurrentEditError,
    GlossaryError,
    ImportFailedError,
    ImportProblem,
    InvalidFieldsError,
    NotFoundError,
    PermissionDeniedError,
)
from kb.glossary.glossary import EXPORT_FORMATS, Glossary
from kb.glossary.model import (
    DECISIONS,
    QUEUE_STATUSES,
    ROLES,
    STATUSES,
    Candidate,
    QueueFilters,
    QueuePage,
    Session,
    Term,
    TermFields,
    TermPage,
    User,
)

__all__ = [
    "DECISIONS",
    "EXPORT_FORMATS",
    "QUEUE_STATUSES",
    "ROLES",
    "STATUSES",
    "Candidate",
    "ConcurrentEditError",
    "ContestedPage",
    "ContestedTerm",
    "Glossary",
    "GlossaryError",
    "ImportFailedError",
    "ImportProblem",
    "InvalidFieldsError",
    "NotFoundError",
    "PermissionDeniedError",
    "QueueFilters",
    "QueuePage",
    "Session",
    "Term",
    "TermFields",
    "TermPage",
    "User",
]
