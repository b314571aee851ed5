"""A document over the chunk limit: rejected alike by `kb validate` and `kb index`."""

import dataclasses
import json

from typer.testing import CliRunner

from indexer import run_index
from indexer.validate import ChunkSizes, validate_paths
from kb.cli import app
from kb.documents.limits import InputLimits
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings

LIMIT = 3
SENTENCE = "The pump seized after the seal dried out in the cold. "


def record(key: str, sentences: int) -> dict:
    return {"id": key, "title": f"Lesson {key}", "type": "lesson", "department": "Ops",
            "date": "2024-01-01", "sections": {"lesson": SENTENCE * sentences}}  # fmt: skip


def write_records(write_doc, long_sentences: int):
    """A JSONL file whose second record (line 2) makes many chunks at 20 words a chunk."""
    rows = [record("short", 1), record("long", long_sentences), record("also-short", 2)]
    return write_doc("log.jsonl", "\n".join(json.dumps(row) for row in rows) + "\n")


def small_chunks(settings):
    return dataclasses.replace(settings, chunk_words=20, chunk_overlap_words=0, max_chunks=LIMIT)


def test_validate_rejects_a_document_over_the_chunk_limit_naming_its_line(write_doc):
    path = write_records(write_doc, long_sentences=40)
    settings = small_chunks(Settings())
    limits, sizes = InputLimits.from_settings(settings), ChunkSizes.from_settings(settings)
    report = validate_paths([path], limits=limits, chunk_sizes=sizes)
    assert report.documents == 2
    [problem] = report.errors
    assert (problem.path, problem.line) == (str(path), 2)
    assert problem.message == "document 'long' would make 40 chunks; the limit is 3 (KB_MAX_CHUNKS)"


def test_validate_index_rejects_the_same_document_before_embedding_it(write_doc, fake_settings):
    settings = small_chunks(fake_settings)
    path = write_records(write_doc, long_sentences=2)  # fits: indexed
    run_index([write_doc.root], settings)
    write_records(write_doc, long_sentences=40)  # now over the limit
    run = run_index([write_doc.root], settings)
    [problem] = run.errors
    assert (problem.path, problem.line) == (str(path), 2)
    assert "'long' would make 40 chunks; the limit is 3" in problem.message
    assert run.chunks_embedded == 0  # nothing of it was embedded; the others are unchanged
    kb = KnowledgeBase(settings)
    ids = {row[0] for row in kb.store.db.conn.execute("SELECT id FROM documents")}
    assert ids == {"short", "long", "also-short"}  # the indexed version stays
    assert kb.document("long").document.sections[0].text.count("seal") == 2


def test_validate_cli_counts_chunks_with_the_index_settings(write_doc):
    path = write_records(write_doc, long_sentences=40)
    env = {"KB_CHUNK_WORDS": "20", "KB_CHUNK_OVERLAP_WORDS": "0", "KB_MAX_CHUNKS": str(LIMIT)}
    result = CliRunner().invoke(app, ["validate", str(path)], env=env)
    assert result.exit_code == 1
    assert f"{path}:2: error: document 'long' would make 40 chunks; the limit is 3" in result.output
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 0  # default: fits


def test_validate_and_index_refuse_an_unknown_sensitivity_naming_file_and_field(
    write_doc, fake_settings
):
    path = write_doc("bad.jsonl", json.dumps({**record("bad", 1), "sensitivity": "secret"}) + "\n")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1 [sensitivity]: error: unknown sensitivity 'secret'" in result.output
    [problem] = run_index([write_doc.root], fake_settings).errors
    assert (problem.path, problem.field) == (str(path), "sensitivity")
