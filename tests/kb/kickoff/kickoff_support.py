"""Shared by the kickoff tests: the example corpus indexed with the fake embedder, a glossary
with two approved terms, and a multi-topic brief."""

from __future__ import annotations

from pathlib import Path

from indexer import run_index
from kb.glossary import Glossary, TermFields
from kb.index.generations import DB_NAME, current_generation
from kb.index.store import Store
from kb.settings import Settings
from tests.conftest import EXAMPLES
from tests.kb.glossary.glossary_support import FAST_HASHER, add_users, candidate, set_candidates

KESTREL = "operations-2021-kestrel-rack-delivery-delays"
FREEZE = "finance-2024-monthly-close-freeze-billing-systems"

BRIEF = """# Project Meridian: a new ERP for finance and procurement

**Department:** Finance · **Sponsor:** CFO

## Scope
We replace the ERP for the general ledger and purchase orders. Two hardware vendors
deliver new servers and racks for the integration layer; the quoted lead time is six weeks.
A change freeze around the year-end close falls in the middle of the build.

## Risks
- The hardware vendor may deliver late, as Kestrel Hardware did during Atlas.
- Purchase orders for the racks have no late-delivery penalty.
- The cutover needs hypercare and a clear go/no-go decision with the CAB.
- New finance analysts need onboarding before go-live.
"""

CANDIDATES = [
    candidate(
        "change freeze",
        1,
        [(FREEZE, "Monthly freeze on finance-critical systems.")],
        {"Finance": 2, "Operations": 1},
        variants={"change freeze": 3},
    ),
    candidate(
        "cab",
        2,
        [(FREEZE, "The CAB enforces it like the year-end freeze.")],
        {"Operations": 3},
        display="CAB",
        expansion="change advisory board",
        variants={"CAB": 3},
    ),
    candidate(
        "cutover",
        3,
        [(KESTREL, "Cutover slipped."), (FREEZE, "The cutover.")],
        {"Engineering": 4, "Operations": 3},
        variants={"cutover": 7},
    ),
]


def build_example_index(base: Path) -> Settings:
    """examples/corpus with the fake embedder, candidates above, and a glossary in which
    'change freeze' is approved (with a definition) and 'CAB' is a draft."""
    settings = Settings(
        kb_dir=base / "kb", embedder="fake", progress=False, glossary_mining=False, max_k=50
    )
    run = run_index([EXAMPLES / "corpus"], settings)
    assert not run.errors, run.errors
    set_candidates(settings, CANDIDATES)
    store = Store(current_generation(settings.kb_dir) / DB_NAME, read_only=True)
    glossary = Glossary(settings.kb_dir, lambda: store, hasher=FAST_HASHER)
    add_users(glossary)
    ed = glossary.auth.user("ed")
    freeze = TermFields(
        label="Change freeze",
        definition="A period in which no changes go to production.",
        status="approved",
    )
    glossary.editor.accept(ed, "change freeze", 0, freeze)
    cab = TermFields(label="Change advisory board", acronym="CAB", definition="Approves changes.")
    glossary.editor.accept(ed, "cab", 0, cab)
    glossary.close()
    store.close()
    return settings


def glossary_terms(settings: Settings) -> list:
    glossary = Glossary(settings.kb_dir)
    try:
        return glossary.terms.accepted()
    finally:
        glossary.close()
