"""Account administration for admins: `/admin/users` (list, add) and `/admin/users/{name}`
(role and departments, a new password, disable, delete, API tokens), each page with a JSON
twin. The rules are those of `kb user add/edit` (kb/glossary/auth.py), not repeated here.

An admin sets the initial password and passes it on. A one-time set-password link was the
other choice: it needs a token table, expiry and a form open to anyone holding the link, and
with no mail delivery in Lessonbase the admin would pass the link on through the same channel
as a password anyway. The password is argon2-hashed at once and never shown again; setting a
new one ends every session of the account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from kb.glossary import ROLES, Glossary, GlossaryError, User
from kb.glossary.names import MAX_DEPARTMENT_CHARS, MAX_DEPARTMENTS, NAME_PATTERN
from kb.glossary.names import clean_departments as check_departments
from web.deps import GlossaryDep
from web.rendering import Page, page_route, render
from web.routers.admin_access import ADMINS_ONLY, AdminForm, AdminRequest, AdminSession, FieldError

router = APIRouter(tags=["pages"])
USERS_PATH = "/admin/users"
MAX_PASSWORD_CHARS = 1024
MAX_DEPARTMENTS_CHARS = MAX_DEPARTMENTS * (MAX_DEPARTMENT_CHARS + 2)
REFILL_CHARS = 200  # what a refused form shows again of a field
DONE = {
    "added": "Added {user}.",
    "saved": "Saved the role and departments of {user}.",
    "password": "Set a new password for {user}; their sessions have ended.",
    "disabled": "Disabled {user}: no sign-in, session or API token works until a new password.",
    "deleted": "Deleted {user}.",
    "revoked": "Revoked an API token of {user}.",
}


@dataclass(frozen=True)
class Account:
    user: User
    disabled: bool
    last_sign_in: str  # when their newest live session began; "" if none

    def to_dict(self) -> dict:
        user = self.user
        return {
            "name": user.name,
            "role": user.role,
            "departments": list(user.departments),
            "created_at": user.created_at,
            "disabled": self.disabled,
            "last_sign_in": self.last_sign_in or None,
        }


def accounts(glossary: Glossary) -> list[Account]:
    auth = glossary.auth
    disabled, last = auth.disabled_users(), auth.last_sign_ins()
    return [Account(u, u.name in disabled, last.get(u.name, "")) for u in auth.users()]


def account(glossary: Glossary, name: str) -> Account:
    user = glossary.auth.user(name) if NAME_PATTERN.match(name) else None
    if user is None:
        raise HTTPException(404, f"No user {name!r}.")
    disabled = name in glossary.auth.disabled_users()
    return Account(user, disabled, glossary.auth.last_sign_ins().get(name, ""))


def user_path(name: str, done: str = "") -> str:
    path = f"{USERS_PATH}/{quote(name, safe='')}"
    return path + (f"?{urlencode({'done': done})}" if done else "")


def notice(done: str, name: str) -> str:
    return DONE[done].format(user=name) if done in DONE and NAME_PATTERN.match(name) else ""


def error_data(errors: dict[str, str]) -> dict:
    return {"detail": " ".join(errors.values()), "errors": errors}


def users_page(
    glossary: Glossary, note: str = "", error: FieldError | None = None, values=None
) -> Page:
    listed = accounts(glossary)
    errors = {error.field: error.message} if error else {}
    data = error_data(errors) if errors else {"users": [a.to_dict() for a in listed]}
    context = {
        "accounts": listed,
        "roles": ROLES,
        "errors": errors,
        "values": values or {"name": "", "role": "reader", "departments": ""},
        "notice": note,
    }
    return Page("admin_users.html", data, lambda: context, 400 if errors else 200)


@page_route(router, USERS_PATH, summary="Accounts (admins)", responses=ADMINS_ONLY)
def list_users(
    glossary: GlossaryDep, session: AdminSession, done: str = "", user: str = ""
) -> Page:
    """Every account: role, departments, created, last sign-in, disabled; a form to add one."""
    return users_page(glossary, notice(done, user))


def field_error(exc: GlossaryError | FieldError) -> FieldError:
    """The form field a rule of kb/glossary/auth.py is about, from its message."""
    if isinstance(exc, FieldError):
        return exc
    message = exc.message.removeprefix("--")
    for name in ("password", "role", "departments"):
        if message.startswith(name):
            return FieldError(name, message)
    return FieldError("name", message)


def departments_of(admin: AdminRequest) -> tuple[str, ...]:
    """The comma-separated departments field, checked as `kb user --department` is."""
    text = admin.text("departments", MAX_DEPARTMENTS_CHARS)
    names = [name for name in text.split(",") if name.strip()]
    try:
        return check_departments(names, option="departments")
    except GlossaryError as exc:
        raise FieldError("departments", exc.message) from None


def refill(admin: AdminRequest) -> dict[str, str]:
    """The add form's fields as sent (cut for display; never the password)."""
    raw = {key: admin.form.get(key) for key in ("name", "role", "departments")}
    return {key: (v if isinstance(v, str) else "")[:REFILL_CHARS] for key, v in raw.items()}


@router.post(USERS_PATH, summary="Add an account (admins)", responses=ADMINS_ONLY)
def add_user(request: Request, admin: AdminForm, glossary: GlossaryDep) -> Response:
    """Add an account with a role, departments and an initial password (8+ characters)."""
    try:
        name, role = admin.text("name", 64), admin.text("role", 16)
        departments = departments_of(admin)
        password = admin.text("password", MAX_PASSWORD_CHARS)
        glossary.auth.create_user(name, password, role, departments)
    except (FieldError, GlossaryError) as exc:
        return render(request, users_page(glossary, "", field_error(exc), refill(admin)))
    return RedirectResponse(user_path(name, "added"), status_code=303)


def user_page(
    glossary: Glossary, name: str, note: str = "", error: FieldError | None = None
) -> Page:
    found = account(glossary, name)
    tokens = glossary.tokens.list(name)
    errors = {error.field: error.message} if error else {}
    data = (
        error_data(errors) if errors else {**found.to_dict(), "tokens": [asdict(t) for t in tokens]}
    )
    context = {"account": found, "tokens": tokens, "roles": ROLES, "errors": errors, "notice": note}
    return Page("admin_user.html", data, lambda: context, 400 if errors else 200)


@page_route(router, USERS_PATH + "/{name}", summary="One account (admins)", responses=ADMINS_ONLY)
def show_user(name: str, glossary: GlossaryDep, session: AdminSession, done: str = "") -> Page:
    """An account with its API tokens, and the forms that change it."""
    return user_page(glossary, name, notice(done, name))


def change(request: Request, glossary: Glossary, name: str, action: Callable[[], None], done: str):
    """Run `action` on an existing account: back to its page, or the page with the error."""
    account(glossary, name)
    try:
        action()
    except (FieldError, GlossaryError) as exc:
        return render(request, user_page(glossary, name, error=field_error(exc)))
    return RedirectResponse(user_path(name, done), status_code=303)


def not_yourself(admin: AdminRequest, name: str, what: str) -> None:
    """An admin cannot lock themselves out; another admin can."""
    if admin.session.user.name == name:
        raise FieldError("name", f"{what}: not your own account; ask another admin")


@router.post(USERS_PATH + "/{name}", summary="Change role and departments", responses=ADMINS_ONLY)
def edit_user(request: Request, name: str, admin: AdminForm, glossary: GlossaryDep) -> Response:
    """Set the account's role, and replace its departments (comma-separated)."""

    def save() -> None:
        role = admin.text("role", 16)
        if role != "admin":
            not_yourself(admin, name, "role")
        glossary.auth.edit_user(name, role, departments_of(admin))

    return change(request, glossary, name, save, "saved")


@router.post(USERS_PATH + "/{name}/password", summary="Set a new password", responses=ADMINS_ONLY)
def reset_password(
    request: Request, name: str, admin: AdminForm, glossary: GlossaryDep
) -> Response:
    """A new password (it also enables a disabled account); the account's sessions end."""

    def save() -> None:
        glossary.auth.set_password(name, admin.text("password", MAX_PASSWORD_CHARS))

    return change(request, glossary, name, save, "password")


@router.post(USERS_PATH + "/{name}/disable", summary="Disable an account", responses=ADMINS_ONLY)
def disable_user(request: Request, name: str, admin: AdminForm, glossary: GlossaryDep) -> Response:
    """No sign-in, session or API token of the account works until an admin sets a password."""

    def save() -> None:
        not_yourself(admin, name, "disable")
        glossary.auth.disable_user(name)

    return change(request, glossary, name, save, "disabled")


@router.post(USERS_PATH + "/{name}/delete", summary="Delete an account", responses=ADMINS_ONLY)
def delete_user(request: Request, name: str, admin: AdminForm, glossary: GlossaryDep) -> Response:
    """The account, its sessions and API tokens; the glossary history keeps its name."""
    response = change(request, glossary, name, lambda: _delete(admin, glossary, name), "")
    if isinstance(response, RedirectResponse):
        query = urlencode({"done": "deleted", "user": name})
        return RedirectResponse(f"{USERS_PATH}?{query}", status_code=303)
    return response


def _delete(admin: AdminRequest, glossary: Glossary, name: str) -> None:
    not_yourself(admin, name, "delete")
    glossary.auth.delete_user(name)


@router.post(
    USERS_PATH + "/{name}/tokens/{token_id}/revoke",
    summary="Revoke an API token",
    responses=ADMINS_ONLY,
)
def revoke_token(
    request: Request, name: str, token_id: int, admin: AdminForm, glossary: GlossaryDep
) -> Response:
    """Requests carrying the token are refused from now on, on every server."""

    def revoke() -> None:
        if token_id not in {t.id for t in glossary.tokens.list(name)}:
            raise FieldError("token", f"token: {name} has no API token {token_id}")
        glossary.tokens.revoke(token_id)

    return change(request, glossary, name, revoke, "revoked")
