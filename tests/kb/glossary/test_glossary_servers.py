"""Two servers on one state database: an edit saved on one between the other's read and its
write is refused on the other (the version is checked in the write), on SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from kb.glossary import ConcurrentEditError, Glossary, TermFields, User
from kb.state import StateDB
from tests.kb.glossary.glossary_support import build_index, copy_index, open_glossary

ED, EVE = User("ed", "editor"), User("eve", "editor")
WAIT = 30  # seconds; a test that waits longer has hung


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("glossary-servers"))


class PausedCandidates:
    """A store provider (the live index) that, once `armed`, stops the action reading
    candidates through it until `resume` is set: the action has read the term's row by then
    and not yet written, which is where another server's save lands."""

    def __init__(self, kb):
        self.kb = kb
        self.armed, self.reached, self.resume = False, threading.Event(), threading.Event()

    def __call__(self):
        if self.armed:
            self.reached.set()
            assert self.resume.wait(WAIT), "the test never resumed the paused action"
        return self.kb.store


@pytest.fixture
def servers(template, tmp_path, state_url):
    """Two glossaries, each with its own engine, on one state database; the second one's
    candidate reads can be paused."""
    settings = replace(copy_index(template, tmp_path), database_url=state_url)
    first, kb = open_glossary(settings)
    paused = PausedCandidates(kb)
    second = Glossary(settings.kb_dir, paused, state=StateDB.from_settings(settings))
    yield first, second, paused
    first.close()
    second.close()


def race(paused: PausedCandidates, slow, fast) -> list[BaseException]:
    """Run `slow` (on the paused server) in a thread, `fast` while it waits; its errors."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            slow()
        except Exception as exc:  # handed to the test
            errors.append(exc)

    paused.armed = True
    thread = threading.Thread(target=run)
    thread.start()
    assert paused.reached.wait(WAIT), "the slow action never read candidates"
    fast()
    paused.resume.set()
    thread.join(WAIT)
    return errors


def test_glossary_servers_second_accept_of_a_new_term_is_refused(servers):
    first, second, paused = servers
    accept = TermFields(label="Vendor", definition="Who supplies us.")
    errors = race(
        paused,
        lambda: second.editor.accept(EVE, "vendor", 0, TermFields(label="Supplier")),
        lambda: first.editor.accept(ED, "vendor", 0, accept),
    )
    assert [type(e) for e in errors] == [ConcurrentEditError]
    assert errors[0].current_version == 1
    stored = second.terms.get("vendor")
    assert (stored.label, stored.updated_by, stored.version) == ("Vendor", "ed", 1)
    assert [entry.user for entry in second.terms.history("vendor")] == ["ed"]


def test_glossary_servers_stale_decision_on_an_edited_term_is_refused(servers):
    first, second, paused = servers
    first.editor.accept(ED, "lead time", 0, TermFields(label="Lead time"))
    errors = race(
        paused,
        lambda: second.editor.defer(EVE, "lead time", 1, "later"),
        lambda: first.editor.edit(ED, "lead time", TermFields(label="Lead time (weeks)"), 1),
    )
    assert [type(e) for e in errors] == [ConcurrentEditError]
    stored = first.terms.get("lead time")
    assert (stored.decision, stored.label, stored.version) == ("accepted", "Lead time (weeks)", 2)
    assert [e.action for e in first.terms.history("lead time")] == ["edit", "accept"]


def test_glossary_servers_edits_one_after_another_both_arrive(servers):
    first, second, _ = servers
    first.editor.accept(ED, "edi", 0, TermFields(label="EDI"))
    second.editor.edit(EVE, "edi", TermFields(label="Electronic data interchange"), 1)
    with pytest.raises(ConcurrentEditError):
        first.editor.edit(ED, "edi", TermFields(label="E.D.I."), 1)  # started from version 1
    assert first.terms.get("edi").label == "Electronic data interchange"
