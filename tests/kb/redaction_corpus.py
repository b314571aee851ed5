"""A small corpus whose Operations retrospective names people in every place a name can
be: authors, participants, an action owner and the text (tests of kb.redaction)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from indexer import run_index
from kb.access import Viewer
from kb.settings import Settings
from tests.conftest import fake_index_settings, markdown_doc

NAMES = ("Jenna", "Cole", "Ravi", "Menon", "Kwame", "Asante", "Mei", "Tanaka")
OUTSIDER = Viewer(signed_in=True, name="fin", departments=("Finance",))
MEMBER = Viewer(signed_in=True, name="ops", departments=("Operations",))

RETRO = markdown_doc(
    "Cutover weekend, Jenna Cole's gasket valve rollback",
    doc_type="retrospective",
    department="Operations",
    sections={
        "What went well": "Jenna rolled back the gasket valve change within ten minutes. "
        "Ravi Menon paged the gasket vendor.",
        "What did not go well": "Kwame Asante's gasket valve runbook was out of date.",
        "Actions": "- [ ] Rewrite the gasket valve runbook (owner: Mei Tanaka, due: 2024-03-01)",
    },
    extra_front="id: cutover\nauthors: [Jenna Cole]\nparticipants: [Ravi Menon, Kwame Asante]\n",
)
BUDGET = markdown_doc(
    "Gasket valve spares cost twice the budget",
    department="Finance",
    sections={
        "What happened": "Gasket valve spares were bought at rush prices after the rollback.",
        "Lesson": "Keep gasket valve spares on the shelf before a cutover weekend.",
    },
    extra_front="id: budget\n",
)


def build_redaction_index(base: Path) -> Settings:
    """The corpus indexed with the fake embedder (no spaCy: text names not read), and the
    settings that serve it with names hidden outside departments."""
    for name, text in (("cutover.md", RETRO), ("budget.md", BUDGET)):
        (base / "corpus").mkdir(parents=True, exist_ok=True)
        (base / "corpus" / name).write_text(text, encoding="utf-8")
    settings = fake_index_settings(base / "kb")
    run = run_index([base / "corpus"], settings)
    assert not run.errors, run.errors
    return dataclasses.replace(settings, redact_names_outside_department=True)


def named(text: str) -> list[str]:
    """The names of NAMES that ``text`` still holds."""
    return [name for name in NAMES if name in text]
