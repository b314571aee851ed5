"""Exports from other systems import without edits, through the bundled mapping files."""

import pytest

from indexer import run_index
from indexer.validate import validate_paths
from kb.documents.mapping import Mapping
from kb.knowledge_base import KnowledgeBase
from tests.conftest import EXAMPLES


def test_imports_nasa_lessons_with_zero_rejections(shared_data):
    mapping = Mapping.load(EXAMPLES / "mappings" / "nasa-llis.yaml")
    report = validate_paths([shared_data / "nasa-llis" / "lessons.jsonl"], mapping)
    assert report.errors == []
    assert report.documents == 1292


def test_imports_postmortems_with_zero_rejections(shared_data, fake_settings):
    mapping = Mapping.load(EXAMPLES / "mappings" / "postmortems.yaml")
    run = run_index([shared_data / "postmortems" / "files"], fake_settings, mapping)
    assert run.errors == []
    assert run.documents_total == 242
    kb = KnowledgeBase(fake_settings)
    doc = kb.document("pm-00b7f759-21f8-4767-8803-f09d863005cd").document
    assert (doc.department, doc.type) == ("Amazon", "retrospective")
    assert "power loss" in doc.tags and "cloud" in doc.tags
    assert [s.key for s in doc.sections] == ["what_happened", "summary"] or [
        s.key for s in doc.sections
    ] == ["summary", "what_happened"]


def test_imports_nasa_fields_land_where_the_mapping_says(shared_data, tmp_path):
    first = (shared_data / "nasa-llis" / "lessons.jsonl").read_text().splitlines()[0]
    sample = tmp_path / "one.jsonl"
    sample.write_text(first + "\n")
    report = validate_paths([sample], Mapping.load(EXAMPLES / "mappings" / "nasa-llis.yaml"))
    assert report.errors == []


@pytest.mark.parametrize("name", ["nasa-llis.yaml", "postmortems.yaml"])
def test_imports_bundled_mappings_load(name):
    assert Mapping.load(EXAMPLES / "mappings" / name).fingerprint
