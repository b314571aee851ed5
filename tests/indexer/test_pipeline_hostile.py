"""No bad file or killed run stops an index run: bad files are named, leftovers removed."""

from pathlib import Path

from indexer import run_index
from tests.conftest import markdown_doc


def test_pipeline_hostile_stale_temporary_generations_go_even_when_nothing_changed(
    write_doc, fake_settings
):
    write_doc("a.md", markdown_doc())
    first = run_index([write_doc.root], fake_settings)
    stale = fake_settings.kb_dir / ".tmp-gen-killed"  # what a killed run leaves: a db copy
    stale.mkdir()
    (stale / "kb.sqlite").write_bytes(b"\0" * 4096)
    (fake_settings.kb_dir / ".current.tmp").symlink_to(Path(first.generation).name)
    again = run_index([write_doc.root], fake_settings)
    assert again.generation_kept
    assert sorted(p.name for p in fake_settings.kb_dir.iterdir() if p.name.startswith(".")) == [
        ".lock"
    ]
