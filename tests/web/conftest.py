"""Fixtures for the web tests: a small hand-written corpus, indexed once with the fake embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from tests.web.rich_corpus import EXTRA_CORPUS
from tests.web.server_process import ServerProcess, index_examples, kb_serve
from web.app import create_app

SCRIPT_TAG = "<script>alert(1)</script>"

CORPUS = {
    "engineering/vendor-lead-times.md": """---
title: Vendor lead times doubled during the data centre migration
type: lesson
department: Engineering
date: 2023-06-14
project: Atlas migration
authors: [Priya Shah]
tags: [vendor delays, procurement]
url: https://wiki.example.org/atlas/lead-times
phase: execution
budget_code: ENG-42
---

## Context
We moved 140 servers to the new co-location site over one quarter.

## What happened
The rack vendor's lead time went from six to twelve weeks and the cutover slipped a month.

## Lesson
Vendor lead times quoted before a contract is signed are estimates, not commitments.

## Recommendation
Ask procurement for a **written** lead-time commitment with a penalty clause.
""",
    "finance/quarter-close-retro.md": f"""---
title: Quarter-end close slipped two days
type: retrospective
department: Finance
date: 2024-01-12
participants: [Ana Ruiz, Tom Li]
tags: [month-end close, "<i>urgent</i>"]
url: "javascript:alert(2)"
---

## What went well
The new reconciliation checklist caught three accrual errors early.

## What did not go well
Invoices from one vendor arrived late again. Someone pasted {SCRIPT_TAG} into the close notes.

## Actions
- [ ] Publish a vendor invoice cut-off calendar (owner: Ana Ruiz, due: 2024-03-15)
- [x] Add the close checklist to the wiki (owner: Tom Li, due: 2024-02-01)
""",
    "operations/shift-handover-weekly.md": """---
title: Weekly operations meeting on shift handovers
type: meeting-notes
department: Operations
date: 2024-04-16
participants: [Hannah Weiss]
tags: [shift handover]
---

## Agenda
Shift handover template trial.

## Discussion
Night shift paused the EDI retry job; the day shift restarted it without knowing why.

## Decisions
The handover template becomes mandatory for the three-month trial.
""",
}


def write_corpus(root: Path, corpus: dict[str, str] = CORPUS) -> Path:
    for relative, text in corpus.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build_index(base, corpus: dict, max_k: int) -> Settings:
    """An index of `corpus` under base/kb, built with the fake embedder."""
    settings = Settings(
        kb_dir=base / "kb",
        embedder="fake",
        progress=False,
        glossary_mining=False,
        search_k=5,
        max_k=max_k,
        default_sensitivity="public",  # the fixtures declare no level; visitors read them
    )
    run = run_index([write_corpus(base / "corpus", corpus)], settings)
    assert not run.errors, run.errors
    return settings


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory) -> Settings:
    return build_index(tmp_path_factory.mktemp("web-index"), CORPUS, max_k=20)


@pytest.fixture(scope="session")
def web_kb(web_settings) -> KnowledgeBase:
    return KnowledgeBase(web_settings)


@pytest.fixture(scope="session")
def web_app(web_settings, web_kb):
    return create_app(web_settings, web_kb)


@pytest.fixture(scope="session")
def web_client(web_app) -> TestClient:
    return TestClient(web_app)


@pytest.fixture(scope="session")
def rich_settings(tmp_path_factory) -> Settings:
    """A second index: the three documents above plus EXTRA_CORPUS (twelve, five departments)."""
    return build_index(tmp_path_factory.mktemp("rich-index"), {**CORPUS, **EXTRA_CORPUS}, max_k=50)


@pytest.fixture(scope="session")
def rich_kb(rich_settings) -> KnowledgeBase:
    return KnowledgeBase(rich_settings)


@pytest.fixture(scope="session")
def rich_app(rich_settings, rich_kb):
    return create_app(rich_settings, rich_kb)


@pytest.fixture(scope="session")
def rich_client(rich_app) -> TestClient:
    return TestClient(rich_app)


@pytest.fixture(scope="session")
def examples_server(tmp_path_factory) -> Iterator[ServerProcess]:
    """`kb serve` over examples/corpus in a child process, with its own TMPDIR, and 0.02 s
    to read an upload: the default body limits, and any DOCX of some size is refused."""
    base = tmp_path_factory.mktemp("examples-server")
    with kb_serve(index_examples(base), base / "tmp", upload_parse_seconds="0.02") as server:
        yield server
