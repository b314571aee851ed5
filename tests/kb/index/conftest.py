"""An index of twelve lessons in four departments over two years, for the index's tests."""

from __future__ import annotations

import pytest

from indexer import run_index
from kb.index.generations import DB_NAME, current_generation
from tests.conftest import markdown_doc

DEPARTMENTS = ("Engineering", "Operations", "Finance", "Legal")
DATES = ("2022-03-01", "2023-01-01", "2023-06-14", "2023-12-31")


@pytest.fixture
def database(write_doc, fake_settings):
    """The path of a built generation's kb.sqlite."""
    for n in range(12):
        sections = {
            "What happened": f"The vendor delivered lesson {n} late; telemetry gaps followed.",
            "Lesson": f"Check the vendor schedule early, lesson {n}.",
        }
        write_doc(
            f"d{n}.md",
            markdown_doc(f"Lesson {n}", "lesson", DEPARTMENTS[n % 4], DATES[n % 4], sections),
        )
    run_index([write_doc.root], fake_settings)
    return current_generation(fake_settings.kb_dir) / DB_NAME
