"""Editorial actions: accept, reject, defer, merge (one by one or in bulk) and edit.

Every action carries the version the editor started from (0 for a candidate nobody decided
on yet). If the stored version differs, the action is refused with a ConcurrentEditError and
nothing is written; the write itself checks the version again (kb/glossary/store.py), so an
edit another server saved in between is refused too. Every change appends one history entry
per term it touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from kb.glossary.candidates import CandidateSource
from kb.glossary.clock import Clock, timestamp, utc_now
from kb.glossary.errors import (
    ConcurrentEditError,
    GlossaryError,
    InvalidFieldsError,
    NotFoundError,
    PermissionDeniedError,
)
from kb.glossary.fields import clean_fields, field_errors, one_line
from kb.glossary.model import BulkResult, Candidate, HistoryEntry, Term, TermFields, User

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kb.glossary.store import TermStore

Change = Callable[[Term | None, "Connection"], Term]
ACTIONS = {"rejected": "reject", "deferred": "defer"}


def suggested_fields(candidate: Candidate) -> TermFields:
    """What the accept form starts with: an acronym's expansion as the label, variants as synonyms."""
    is_short = bool(candidate.expansion) and not candidate.acronym
    label = candidate.expansion if is_short else candidate.display
    acronym = candidate.display if is_short else candidate.acronym
    return clean_fields(
        TermFields(label=label, acronym=acronym, synonyms=tuple(candidate.surface_forms))
    )


def proposed_target(candidate: Candidate, accepted: list[Term]) -> str:
    """The key of the glossary term an acronym's card says it stands for, or ""."""
    folded = (candidate.expansion or "").casefold()
    if not folded:
        return ""
    return next(
        (
            term.key
            for term in accepted
            if term.key != candidate.term
            and folded in {term.key.casefold(), *(form.casefold() for form in term.forms)}
        ),
        "",
    )


def require_editor(user: User) -> None:
    if not user.can_edit:
        raise PermissionDeniedError(
            f"{user.name} is a {user.role}; only editors may change the glossary"
        )


class EditorialService:
    def __init__(self, terms: TermStore, candidates: CandidateSource, clock: Clock = utc_now):
        self.terms, self.candidates, self.clock = terms, candidates, clock

    # -- the shared write path -----------------------------------------------------------

    def _apply(
        self, user: User, key: str, expected: int | None, action: str, change: Change
    ) -> Term:
        require_editor(user)
        with self.terms.transaction() as conn:
            return self._write(conn, user, key, expected, action, change)

    def _write(
        self,
        conn: Connection,
        user: User,
        key: str,
        expected: int | None,
        action: str,
        change: Change,
    ) -> Term:
        """Check the version, build the new row with `change`, write it and its history."""
        current = self.terms.get(key, conn)
        stored = current.version if current else 0
        if expected is not None and expected != stored:
            raise ConcurrentEditError(key, expected, current)
        new = replace(
            change(current, conn),
            version=max(stored, self.terms.last_version(key, conn)) + 1,
            updated_at=timestamp(self.clock()),
            updated_by=user.name,
        )
        if current is not None and _same_content(current, new):
            return current  # nothing changed: no new version, no history entry
        self.terms.save(conn, current, new, action)
        return new

    def _known(self, key: str, current: Term | None) -> Candidate | None:
        candidate = self.candidates.get(key)
        if candidate is None and current is None:
            raise NotFoundError(f"no candidate or term with key {key!r}")
        return candidate

    def _checked(self, key: str, fields: TermFields, conn: Connection) -> TermFields:
        """Cleaned fields with related terms named by key (labels are looked up), or raise."""
        accepted = self.terms.accepted(conn)
        fields = clean_fields(fields)
        fields = replace(
            fields, related=tuple(dict.fromkeys(_key_for(r, accepted) for r in fields.related))
        )
        errors = field_errors(fields, key, {term.key for term in accepted})
        if errors:
            raise InvalidFieldsError(errors)
        return fields

    # -- decisions -----------------------------------------------------------------------

    def suggestion(self, key: str) -> TermFields:
        current = self.terms.get(key)
        if current is not None and current.decision == "accepted":
            return current.fields
        candidate = self._known(key, current)
        return suggested_fields(candidate) if candidate else current.fields

    def accept(
        self, user: User, key: str, expected: int | None = 0, fields: TermFields | None = None
    ) -> Term:
        """Make a candidate a glossary term (a draft unless fields.status says otherwise)."""

        def change(current: Term | None, conn) -> Term:
            if current is not None and current.decision == "accepted":
                raise GlossaryError(f"{key!r} is already in the glossary; edit it instead")
            candidate = self._known(key, current)
            base = fields or (suggested_fields(candidate) if candidate else current.fields)
            checked = self._checked(key, base, conn)
            return Term(key=key, **checked.__dict__, decision="accepted")

        return self._apply(user, key, expected, "accept", change)

    def reject(self, user: User, key: str, reason: str, expected: int | None = 0) -> Term:
        if not one_line(reason):
            raise InvalidFieldsError({"reason": "say why the candidate is rejected"})
        return self._decide(user, key, expected, "rejected", one_line(reason))

    def defer(self, user: User, key: str, expected: int | None = 0, reason: str = "") -> Term:
        return self._decide(user, key, expected, "deferred", one_line(reason))

    def _decide(
        self, user: User, key: str, expected: int | None, decision: str, reason: str
    ) -> Term:
        def change(current: Term | None, conn) -> Term:
            candidate = self._known(key, current)
            base = current or Term(key=key, label=candidate.display)
            return replace(base, decision=decision, reason=reason, merged_into="")

        return self._apply(user, key, expected, ACTIONS[decision], change)

    def merge(self, user: User, key: str, into: str, expected: int | None = 0) -> Term:
        """Fold a candidate into a glossary term: its forms become the term's synonyms."""
        require_editor(user)
        forms: list[str] = []

        def change(current: Term | None, conn) -> Term:
            candidate = self._known(key, current)
            forms.extend(candidate.surface_forms if candidate else [])
            if current is not None and current.decision == "accepted":
                forms.extend(current.forms)
            base = current or Term(key=key, label=candidate.display)
            return replace(base, decision="merged", merged_into=into, reason="")

        with self.terms.transaction() as conn:
            into = _key_for(one_line(into), self.terms.accepted(conn))
            target = self.terms.get(into, conn)
            if into == key or target is None or target.decision != "accepted":
                raise InvalidFieldsError({"into": f"{into!r} is not another term in the glossary"})
            merged = self._write(conn, user, key, expected, "merge", change)
            self._write(conn, user, into, None, "merge-in", lambda term, _: _absorb(term, forms))
        return merged

    def unmerge(self, user: User, key: str, expected: int | None = None) -> Term | None:
        """Undo `key`'s merge: it gets back the decision and fields it had before (pending
        again if it had none: the row goes, its history stays) and the target loses the
        synonyms the merge gave it. Returns the restored row (None when pending again)."""
        require_editor(user)
        with self.terms.transaction() as conn:
            current = self.terms.get(key, conn)
            if current is None or current.decision != "merged":
                raise InvalidFieldsError({"key": f"{key!r} is not merged into another term"})
            if expected is not None and expected != current.version:
                raise ConcurrentEditError(key, expected, current)
            merge, merge_in = self.terms.last_merge(key, current.merged_into, conn) or ({}, {})
            restored = self._restore(conn, user, current, merge)
            before, after = merge_in.get("synonyms") or ([], [])
            if self.terms.get(current.merged_into, conn) is not None:
                added = set(after or []) - set(before or [])
                self._write(conn, user, current.merged_into, None, "unmerge", _without(added))
        return restored

    def _restore(self, conn: Connection, user: User, current: Term, merge: dict) -> Term | None:
        """`current` as it was before `merge` ({field: [old, new]}); None old values mean
        there was no row: the candidate is pending again."""
        if merge.get("decision", [None])[0] is None:
            version = self.terms.last_version(current.key, conn) + 1
            at = timestamp(self.clock())
            change = {"decision": ["merged", None], "merged_into": [current.merged_into, None]}
            entry = HistoryEntry(current.key, version, user.name, at, "unmerge", change)
            self.terms.forget(conn, current, entry)
            return None
        before = {name: _stored(pair[0]) for name, pair in merge.items()}
        return self._write(
            conn, user, current.key, None, "unmerge", lambda term, _: replace(term, **before)
        )

    # -- bulk ------------------------------------------------------------------------------

    def bulk_accept(self, user: User, versions: dict[str, int]) -> BulkResult:
        return self._bulk(versions, lambda key, version: self.accept(user, key, version))

    def bulk_reject(self, user: User, versions: dict[str, int], reason: str) -> BulkResult:
        if not one_line(reason):
            raise InvalidFieldsError({"reason": "say why the candidates are rejected"})
        return self._bulk(versions, lambda key, version: self.reject(user, key, reason, version))

    @staticmethod
    def _bulk(versions: dict[str, int], act: Callable[[str, int], Term]) -> BulkResult:
        done, skipped = [], {}
        for key, version in versions.items():
            try:
                act(key, version)
                done.append(key)
            except PermissionDeniedError:
                raise
            except GlossaryError as exc:
                skipped[key] = exc.message
        return BulkResult(done, skipped)

    # -- editing ---------------------------------------------------------------------------

    def edit(self, user: User, key: str, fields: TermFields, expected: int) -> Term:
        """Save an accepted term's fields, if nobody saved it since `expected`."""

        def change(current: Term | None, conn) -> Term:
            if current is None or current.decision != "accepted":
                raise NotFoundError(f"{key!r} is not a term in the glossary")
            return replace(current, **self._checked(key, fields, conn).__dict__)

        return self._apply(user, key, expected, "edit", change)


def _same_content(current: Term, new: Term) -> bool:
    bookkeeping = {
        "version": current.version,
        "updated_at": current.updated_at,
        "updated_by": current.updated_by,
    }
    return replace(new, **bookkeeping) == current


def _absorb(target: Term | None, forms: list[str]) -> Term:
    """The target with `forms` added to its synonyms (its own label and acronym left out)."""
    fields = clean_fields(replace(target.fields, synonyms=(*target.synonyms, *forms)))
    return replace(target, synonyms=fields.synonyms)


def _without(forms: set[str]) -> Change:
    """A change dropping `forms` from a term's synonyms."""

    def change(term: Term, conn) -> Term:
        return replace(term, synonyms=tuple(s for s in term.synonyms if s not in forms))

    return change


def _stored(value):
    """A history value as a Term holds it (JSON lists are tuples there)."""
    return tuple(value) if isinstance(value, list) else value


def _key_for(name: str, accepted: list[Term]) -> str:
    """A term's key from its key or, failing that, its label (any case); else `name` itself."""
    if any(term.key == name for term in accepted):
        return name
    folded = name.casefold()
    return next((term.key for term in accepted if term.label.casefold() == folded), name)
