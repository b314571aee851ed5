"""Who may open the admin pages, and reading their forms.

An anonymous visitor is sent to /login (401 for JSON), anyone but an admin gets 403, and every
POST must carry its session's CSRF token (checked before the role, as on the glossary forms).
Form fields are bounded: a value over its limit is refused naming the field, never cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData

from kb.glossary import Session
from web.security import LoginRequiredError, current_session, here, verified_form

ADMINS_ONLY = {401: {"description": "Not signed in."}, 403: {"description": "Not an admin."}}
SIGN_IN_AS_ADMIN = "Sign in as an admin."


class FieldError(Exception):
    """One form field is not acceptable; `field` names it for the form."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class AdminRequest:
    session: Session
    form: FormData

    def text(self, name: str, limit: int) -> str:
        """The field's text, stripped unless a password; FieldError over `limit` characters."""
        value = self.form.get(name)
        if value is not None and not isinstance(value, str):
            raise FieldError(name, f"{name}: expected text, got a file")
        value = value or ""
        if len(value) > limit:
            raise FieldError(name, f"{name}: at most {limit} characters")
        return value if name == "password" else value.strip()


def admin_session(request: Request) -> Session:
    """For admin pages (GET): anonymous -> sign in first; anyone else but an admin -> 403."""
    session = current_session(request)
    if session is None:
        raise LoginRequiredError(here(request), SIGN_IN_AS_ADMIN)
    if not session.user.is_admin:
        user = session.user
        raise HTTPException(403, f"Only admins may open this page; {user.name} is a {user.role}.")
    return session


async def admin_form(request: Request) -> AdminRequest:
    """A CSRF-checked form from a signed-in admin; 403 for anyone else."""
    form = await verified_form(request)
    return AdminRequest(admin_session(request), form)


AdminSession = Annotated[Session, Depends(admin_session)]
AdminForm = Annotated[AdminRequest, Depends(admin_form)]
