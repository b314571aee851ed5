"""The index run ranks contested candidates right after mining them."""

from __future__ import annotations

import pytest

from indexer import run_index
from kb.settings import Settings
from tests.kb.glossary.contested_support import documents, write_markdown
from tests.kb.glossary.glossary_support import open_glossary


@pytest.mark.slow
def test_contested_terms_are_ranked_by_the_index_run_that_mines(tmp_path):
    docs = documents({"Engineering": 6, "HR": 6})
    settings = Settings(kb_dir=tmp_path / "kb", embedder="fake", progress=False)
    run = run_index([write_markdown(tmp_path / "corpus", docs)], settings)
    assert not run.errors and run.glossary_candidates
    assert run.contested_terms is not None and "contested" in run.phase_seconds
    glossary, _ = open_glossary(settings)
    page = glossary.contested_page(1, 100)
    assert page.available and page.total == run.contested_terms
    assert all(item.documents >= 8 for item in page.items)  # four or more per department
