"""Every hostile case of issue #18 beside good files: one bad file is one rejected file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.documents.parsers import parse_file
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from tests.conftest import REPO
from tests.hostile_corpus import HostileCorpus, write_hostile_corpus

KB = str(Path(sys.executable).with_name("kb"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> HostileCorpus:
    return write_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


def run_kb(*args: str, mining: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "KB_EMBEDDER": "fake", "KB_PROGRESS": "0",
           "KB_GLOSSARY_MINING": "1" if mining else "0"}  # fmt: skip
    return subprocess.run([KB, *args], env=env, capture_output=True, text=True, timeout=300)


def good_ids(corpus: HostileCorpus) -> set[str]:
    ids = {doc.id for path in corpus.good_files for doc in parse_file(path, path.name).documents}
    return ids | corpus.good_ids


def assert_every_bad_file_named(corpus: HostileCorpus, output: str) -> None:
    lines = output.splitlines()
    for case in corpus.cases:
        mentions = [line.lower() for line in lines if f"/{case.name}" in line]
        assert any(case.reason in line for line in mentions), (case.name, mentions)


def test_hostile_corpus_validate_names_every_bad_file(corpus):
    done = run_kb("validate", str(corpus.root))
    assert done.returncode == 1, done.stderr  # errors found: non-zero, but no traceback
    assert "Traceback" not in done.stderr
    assert_every_bad_file_named(corpus, done.stdout + done.stderr)


@pytest.mark.parametrize("mining", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_hostile_corpus_index_keeps_every_good_document(corpus, tmp_path, mining):
    kb_dir = tmp_path / "kb"
    done = run_kb("index", str(corpus.root), "--kb", str(kb_dir), mining=mining)
    assert done.returncode == 0, done.stderr
    assert_every_bad_file_named(corpus, done.stdout + done.stderr)
    knowledge_base = KnowledgeBase(Settings(kb_dir=kb_dir, embedder="fake"))
    indexed = {doc_id for doc_id in good_ids(corpus) if knowledge_base.document(doc_id)}
    assert indexed == good_ids(corpus)
    assert knowledge_base.stats()["counts"]["documents"] == len(good_ids(corpus))
