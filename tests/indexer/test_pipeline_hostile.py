"""No bad file or killed run stops an index run: bad files are named, leftovers removed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from tests.conftest import REPO, markdown_doc
from tests.indexer.test_discover import BAD_ENTRIES, add_bad_entries

KB = str(Path(sys.executable).with_name("kb"))
MAX_CHUNKS = 600
# Over spaCy's max_length (1,000,000), in hyphenated words: within MAX_CHUNKS chunks.
LONG_PARAGRAPH = "The thermal-protection-system tile-bonding-adhesive had aged-and-cracked. " * 40


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


def hostile_entries(root: Path) -> dict[str, str]:
    """Every kind of bad entry, and a document over the chunk limit: {name: its reason}."""
    add_bad_entries(root)
    sentence = "The seal dried out and the pump seized in the cold. "
    (root / "huge.md").write_text(markdown_doc("Huge", sections={"Lesson": sentence * 9000}))
    return {**BAD_ENTRIES, "huge.md": f"chunks; the limit is {MAX_CHUNKS} (KB_MAX_CHUNKS)"}


def kb_index(folder: Path, kb_dir: Path, mining: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "KB_EMBEDDER": "fake", "KB_PROGRESS": "0",
           "KB_GLOSSARY_MINING": "1" if mining else "0", "KB_MAX_CHUNKS": str(MAX_CHUNKS),
           "KB_MAX_DOCUMENT_CHARS": "2000000"}  # fmt: skip
    command = [KB, "index", str(folder), "--kb", str(kb_dir)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("mining", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_pipeline_hostile_folder_indexes_every_good_file_and_names_each_bad_one(
    write_doc, tmp_path, mining
):
    for n in range(3):
        write_doc(f"good{n}.md", markdown_doc(f"Good {n}", sections={"Lesson": f"Check pump {n}."}))
    kb_dir = tmp_path / "kb"
    assert kb_index(write_doc.root, kb_dir, mining).returncode == 0
    reasons = hostile_entries(write_doc.root)
    write_doc("good1.md", markdown_doc("Good 1", sections={"Lesson": "Check the spare pump."}))
    long_text = "\n\n".join([LONG_PARAGRAPH] * 400)
    assert len(long_text) > 1_000_000
    write_doc("long.md", markdown_doc("Long", sections={"Lesson": long_text}))

    result = kb_index(write_doc.root, kb_dir, mining)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for name, reason in reasons.items():
        assert any(f"{write_doc.root / name}: " in line and reason in line for line in lines), name
    assert "not updated" not in result.stderr  # glossary mining did not fail either
    settings = Settings(kb_dir=kb_dir, embedder="fake")
    kb = KnowledgeBase(settings)
    ids = {row[0] for row in kb.store.db.conn.execute("SELECT id FROM documents")}
    assert ids == {"good0", "good1", "good2", "long"}
    assert "spare pump" in kb.document("good1").document.sections[0].text  # the edit is kept
    if mining:
        assert "Glossary: " in result.stdout
        terms = {row["term"] for row in kb.store.candidates.all(limit=10_000)}
        assert "tile-bonding-adhesive" in terms or "adhesive" in terms
