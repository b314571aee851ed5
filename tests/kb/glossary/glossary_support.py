"""Hand-built glossary candidates over the web tests' three-document corpus, test users,
a fake clock and cheap password hashing: what the glossary tests of kb and web share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from argon2 import PasswordHasher

from indexer import run_index
from kb.glossary import Glossary
from kb.index.generations import DB_NAME, current_generation
from kb.index.store import Store
from kb.settings import Settings
from tests.conftest import fake_index_settings
from tests.web.conftest import write_corpus

ENGINEERING = "engineering-vendor-lead-times"
FINANCE = "finance-quarter-close-retro"
OPERATIONS = "operations-shift-handover-weekly"
PASSWORD = "correct horse battery"
# Cheap hashing for tests; the server uses argon2-cffi's defaults.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self):
        self.now = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


def candidate(
    term: str,
    rank: int,
    contexts: list[tuple[str, str]],
    departments: dict[str, int],
    display: str = "",
    variants: dict[str, int] | None = None,
    acronym: str | None = None,
    expansion: str | None = None,
    accepted: bool = True,
) -> dict:
    """One row for Store.candidates.replace."""
    doc_ids = sorted({doc_id for doc_id, _ in contexts})
    return {
        "term": term,
        "display": display or term,
        "score": round(1.0 / rank, 4),
        "rank": rank,
        "accepted": accepted,
        "frequency": sum(departments.values()),
        "document_frequency": len(doc_ids),
        "departments": departments,
        "variants": variants or {display or term: sum(departments.values())},
        "acronym": acronym,
        "expansion": expansion,
        "contexts": [{"doc_id": d, "sentence": s} for d, s in contexts],
        "doc_ids": doc_ids,
    }


CANDIDATES = [
    candidate(
        "lead time",
        1,
        [
            (ENGINEERING, "The rack vendor's lead time went from six to twelve weeks."),
            (ENGINEERING, "Vendor lead times quoted before a contract is signed are estimates."),
        ],
        {"Engineering": 3},
        variants={"lead time": 2, "lead times": 1},
    ),
    candidate(
        "vendor",
        2,
        [
            (
                ENGINEERING,
                "The rack vendor delivered servers twelve weeks late to the data centre.",
            ),
            (FINANCE, "Invoices from one vendor arrived late again before quarter close accruals."),
        ],
        {"Engineering": 2, "Finance": 1},
        variants={"vendor": 2, "vendors": 1},
    ),
    candidate(
        "shift handover",
        3,
        [
            (OPERATIONS, "Shift handover template trial."),
            (OPERATIONS, "The handover template becomes mandatory for the three-month trial."),
        ],
        {"Operations": 2},
        variants={"shift handover": 1, "shift handovers": 1},
    ),
    candidate(
        "handover",
        4,
        [(OPERATIONS, "The night shift handover lost the context of the EDI job.")],
        {"Operations": 1},
        variants={"handover": 1, "hand-over": 1},
    ),
    candidate(
        "edi",
        5,
        [(OPERATIONS, "Night shift paused the EDI retry job; the day shift restarted it.")],
        {"Operations": 1},
        display="EDI",
        expansion="electronic data interchange",
        variants={"EDI": 1},
    ),
    candidate(
        "reconciliation checklist",
        6,
        [(FINANCE, "The new reconciliation checklist caught three accrual errors early.")],
        {"Finance": 1},
        accepted=False,
    ),
]


def build_index(base: Path, rows: list[dict] | None = None) -> Settings:
    """Index the three-document corpus under base/kb and store `rows` as its candidates."""
    settings = fake_index_settings(base / "kb")
    run = run_index([write_corpus(base / "corpus")], settings)
    assert not run.errors, run.errors
    set_candidates(settings, CANDIDATES if rows is None else rows)
    return settings


def set_candidates(settings: Settings, rows: list[dict]) -> None:
    """Replace the live generation's candidates and rank the contested ones, as the miner
    does during an index run."""
    from kb.glossary.contested import rank_contested

    store = Store(current_generation(settings.kb_dir) / DB_NAME)
    with store.db.transaction():
        store.candidates.replace(rows)
        rank_contested(store)
    store.close()


def add_users(glossary: Glossary) -> None:
    """editor 'ed', editor 'eve', reader 'rita' and admin 'ada', all with PASSWORD."""
    for name, role in (("ed", "editor"), ("eve", "editor"), ("rita", "reader"), ("ada", "admin")):
        glossary.auth.create_user(name, PASSWORD, role)


def copy_index(template: Settings, target: Path) -> Settings:
    """A private copy of a built index (and its glossary.sqlite, if any) under target."""
    import shutil

    shutil.copytree(template.kb_dir, target / "kb", symlinks=True)
    return fake_index_settings(target / "kb")


def open_glossary(settings: Settings, **options) -> tuple[Glossary, object]:
    """A Glossary over the index in settings.kb_dir and the state database settings name
    (close it), and the KnowledgeBase it reads."""
    from kb.knowledge_base import KnowledgeBase
    from kb.state import StateDB

    kb = KnowledgeBase(settings)
    options.setdefault("state", StateDB.from_settings(settings))
    glossary = Glossary(settings.kb_dir, lambda: kb.store, hasher=FAST_HASHER, **options)
    return glossary, kb
