import contextlib
import dataclasses
import json
import os
import re
import shutil
import sqlite3

import pytest

from indexer import generation_writer, run_index
from kb.documents.schema import SCHEMA_VERSION
from kb.index.document_terms import DOCUMENT_TERMS_NAME
from kb.index.generations import CURRENT, VECTORS_NAME, Manifest
from kb.index.vectors import load_vector_index
from kb.index.vectors.flat import FlatIndex
from kb.knowledge_base import KnowledgeBase
from kb.problems import IndexUnavailableError
from kb.search import SearchRequest
from models.fake import FakeEmbedder
from tests.conftest import EXAMPLES, markdown_doc


def ids(settings):
    kb = KnowledgeBase(settings)
    return {row[0] for row in kb.store.db.conn.execute("SELECT id FROM documents")}


@pytest.fixture
def three_docs(write_doc):
    write_doc("eng/racks.md", markdown_doc())
    write_doc("fin/close.md", markdown_doc("Close slipped", "retrospective", "Finance",
              sections={"What did not go well": "Accruals were late.", "Actions": "- [ ] Automate (owner: Ana, due: 2024-02-01)"}))  # fmt: skip
    write_doc("hr/onboarding.md", markdown_doc("Buddy onboarding", department="HR"))
    return write_doc


def test_pipeline_indexes_a_folder_and_writes_a_manifest(three_docs, fake_settings):
    run = run_index([three_docs.root], fake_settings)
    assert (run.files_indexed, run.documents_indexed, run.errors) == (3, 3, [])
    assert run.chunks_embedded == run.chunks_total > 3
    gen = fake_settings.kb_dir / CURRENT
    manifest = Manifest.read(gen)
    assert (manifest.schema_version, manifest.embedder, manifest.dimension) == (
        SCHEMA_VERSION,
        "fake",
        256,
    )
    assert manifest.counts == {"documents": 3, "chunks": run.chunks_total, "sources": 3}
    assert json.loads((gen / "manifest.json").read_text())["model"] == "fake-256"
    assert ids(fake_settings) == {"eng-racks", "fin-close", "hr-onboarding"}


def test_pipeline_second_run_skips_unchanged_files(three_docs, fake_settings):
    run_index([three_docs.root], fake_settings)
    again = run_index([three_docs.root], fake_settings)
    assert (again.files_unchanged, again.files_indexed, again.chunks_embedded) == (3, 0, 0)


def test_pipeline_unchanged_run_keeps_the_live_generation(three_docs, fake_settings):
    first = run_index([three_docs.root], fake_settings)
    os.utime(three_docs.root / "eng/racks.md")  # touched, the same content
    again = run_index([three_docs.root], fake_settings)
    assert again.generation == first.generation and again.generation_kept
    assert (again.documents_total, again.chunks_total) == (3, first.chunks_total)
    generations = sorted(p.name for p in fake_settings.kb_dir.glob("gen-*"))
    assert generations == ["gen-000001"] and not list(fake_settings.kb_dir.glob(".tmp-gen-*"))
    three_docs("ops/new.md", markdown_doc("Runbook gaps", department="Operations"))
    changed = run_index([three_docs.root], fake_settings)
    assert changed.generation != first.generation and not changed.generation_kept


def test_pipeline_unchanged_run_reads_the_live_database_without_copying_it(
    three_docs, fake_settings
):
    first = run_index([three_docs.root], fake_settings)
    kb_dir = fake_settings.kb_dir
    live = [kb_dir, kb_dir / CURRENT, kb_dir / CURRENT / "kb.sqlite"]
    for path in live:  # an old time: any entry added or removed below would make it "now"
        os.utime(path, ns=(10**18, 10**18))
    before = [(path.stat().st_ino, path.stat().st_mtime_ns) for path in live]
    again = run_index([three_docs.root, three_docs.root / "gone"], fake_settings)
    assert again.generation_kept and again.generation == first.generation
    # No temp generation was made in KB_DIR (a copy goes there); the live one is untouched.
    assert [(path.stat().st_ino, path.stat().st_mtime_ns) for path in live] == before
    assert (again.files_unchanged, again.documents_total) == (3, 3)
    assert [p.path for p in again.errors] == [str(three_docs.root / "gone")]
    assert list(again.phase_seconds) == ["check"]


def test_pipeline_a_broken_file_is_reported_on_every_run(write_doc, fake_settings):
    write_doc("good.md", markdown_doc())
    write_doc("no-dept.md", BROKEN["no-dept.md"])
    for _ in range(2):
        run = run_index([write_doc.root], fake_settings)
        assert [os.path.basename(p.path) for p in run.errors] == ["no-dept.md"]
    assert run.generation_kept  # reported again, nothing new to publish


def test_pipeline_unchanged_run_still_upgrades_an_index_of_an_older_layout(
    three_docs, fake_settings
):
    first = run_index([three_docs.root], fake_settings)
    manifest_path = fake_settings.kb_dir / CURRENT / "manifest.json"
    data = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps(data | {"keyword_index": "fts5"}))  # before postings
    again = run_index([three_docs.root], fake_settings)
    assert again.generation != first.generation and not again.generation_kept
    assert Manifest.read(fake_settings.kb_dir / CURRENT).keyword_index == "postings"


def test_pipeline_adds_document_terms_to_an_index_written_without_them(three_docs, fake_settings):
    first = run_index([three_docs.root], fake_settings)
    live = fake_settings.kb_dir / CURRENT
    shutil.rmtree(live / DOCUMENT_TERMS_NAME)  # as written before document term vectors
    data = json.loads((live / "manifest.json").read_text())
    (live / "manifest.json").write_text(json.dumps(data | {"document_terms": False}))
    doc_id = sorted(ids(fake_settings))[0]
    assert KnowledgeBase(fake_settings).related(doc_id, include_same_department=True)  # meaning
    again = run_index([three_docs.root], fake_settings)
    assert again.generation != first.generation and not again.generation_kept
    assert (fake_settings.kb_dir / CURRENT / DOCUMENT_TERMS_NAME).is_dir()
    assert KnowledgeBase(fake_settings).generation.document_terms is not None


def test_pipeline_syncs_changed_new_and_deleted_files(three_docs, fake_settings):
    run_index([three_docs.root], fake_settings)
    three_docs("eng/racks.md", markdown_doc(title="Rack lead times tripled"))
    three_docs("ops/new.md", markdown_doc("Runbook gaps", department="Operations"))
    (three_docs.root / "hr/onboarding.md").unlink()
    run = run_index([three_docs.root], fake_settings)
    assert (run.files_indexed, run.files_unchanged, run.documents_removed) == (2, 1, 1)
    kb = KnowledgeBase(fake_settings)
    assert kb.document("eng-racks").document.title == "Rack lead times tripled"
    assert kb.document("hr-onboarding") is None
    assert ids(fake_settings) == {"eng-racks", "fin-close", "ops-new"}


def test_pipeline_other_roots_are_left_alone(tmp_path, write_doc, fake_settings):
    write_doc("a/one.md", markdown_doc())
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "two.md").write_text(markdown_doc("Second", department="Legal"))
    run_index([write_doc.root / "a"], fake_settings)
    run_index([other], fake_settings)
    assert ids(fake_settings) == {"one", "two"}


BROKEN = {
    "bad-yaml.md": "---\ntitle: [oops\ntype: lesson\n---\n## Lesson\nx\n",
    "no-dept.md": markdown_doc().replace("department: Engineering\n", ""),
    "bad-type.md": markdown_doc(doc_type="memo"),
    "bad-date.md": markdown_doc(date="sometime in spring"),
    "empty.md": markdown_doc(sections={"Lesson": " "}),
    "latin1.md": markdown_doc(title="Caf\xe9").encode("latin-1"),
    "binary.md": b"\x00\x01\x02\x03",
    "dup-a.json": json.dumps({"id": "dup", **json.loads('{"title":"A","type":"lesson","department":"HR","date":"2020-01-01","lesson":"a"}')}),
    "dup-b.json": json.dumps({"id": "dup", "title": "B", "type": "lesson", "department": "HR", "date": "2020-01-01", "lesson": "b"}),
}  # fmt: skip


def test_pipeline_broken_files_are_reported_and_good_ones_indexed(write_doc, fake_settings):
    write_doc("good.md", markdown_doc())
    for name, content in BROKEN.items():
        write_doc(name, content)
    write_doc("huge.md", markdown_doc(sections={"Lesson": "word " * 5000}))
    settings = type(fake_settings)(**{**fake_settings.__dict__, "max_file_bytes": 10_000})
    run = run_index([write_doc.root], settings)
    rejected = {os.path.basename(p.path): p for p in run.errors}
    assert set(rejected) == set(BROKEN) - {"dup-a.json"} | {"huge.md"}
    assert rejected["no-dept.md"].field == "department"
    assert rejected["bad-type.md"].field == "type"
    assert rejected["bad-date.md"].field == "date"
    assert rejected["bad-yaml.md"].line == 2
    assert "duplicate id 'dup'" in rejected["dup-b.json"].message
    assert "dup-a.json" in rejected["dup-b.json"].message
    assert ids(settings) == {"good", "dup"}


def test_pipeline_a_file_broken_by_an_edit_keeps_its_indexed_version(write_doc, fake_settings):
    path = write_doc("eng/racks.md", markdown_doc())
    run_index([write_doc.root], fake_settings)
    path.write_text("---\ntitle: [broken\n---\n")
    run = run_index([write_doc.root], fake_settings)
    assert len(run.errors) == 1
    assert KnowledgeBase(fake_settings).document("eng-racks") is not None
    path.write_text(markdown_doc(title="Fixed"))
    run_index([write_doc.root], fake_settings)
    assert KnowledgeBase(fake_settings).document("eng-racks").document.title == "Fixed"


def test_pipeline_failed_run_leaves_the_live_index_untouched(three_docs, fake_settings):
    run_index([three_docs.root], fake_settings)
    live = os.readlink(fake_settings.kb_dir / CURRENT)

    class Exploding(FakeEmbedder):
        def _encode(self, texts, batch_size):
            raise RuntimeError("out of memory")

    three_docs("eng/racks.md", markdown_doc(title="Changed"))
    with pytest.raises(RuntimeError):
        run_index([three_docs.root], fake_settings, embedder=Exploding())
    assert os.readlink(fake_settings.kb_dir / CURRENT) == live
    assert not list(fake_settings.kb_dir.glob(".tmp-gen-*"))
    assert (
        KnowledgeBase(fake_settings).document("eng-racks").document.title
        == "Vendor lead times doubled"
    )


def test_pipeline_open_reader_sees_new_generation_after_publish(three_docs, fake_settings):
    run_index([three_docs.root], fake_settings)
    kb = KnowledgeBase(fake_settings)
    old_store = kb.store
    three_docs("ops/new.md", markdown_doc("Runbook gaps", department="Operations"))
    run_index([three_docs.root], fake_settings)
    # The reader's old generation is still on disk and readable while it switches over.
    assert old_store.counts()["documents"] == 3
    assert kb.document("ops-new") is not None
    assert kb.manifest.counts["documents"] == 4


def test_pipeline_model_change_rebuilds_every_vector_and_keeps_other_sources(
    three_docs, fake_settings, tmp_path, caplog
):
    other = tmp_path / "other-source"
    other.mkdir()
    (other / "sales.md").write_text(markdown_doc("Quote delays", department="Sales"))
    run_index([three_docs.root], fake_settings)
    run_index([other], fake_settings)
    run = run_index([three_docs.root], fake_settings, embedder=FakeEmbedder("fake-64", dim=64))
    assert "fake-256" in run.rebuilt_because and "fake-64" in run.rebuilt_because
    assert "embedded again" in caplog.text
    assert run.files_unchanged == 0 and run.chunks_reused == 0
    assert run.chunks_embedded == run.chunks_total  # the other source's chunks too
    assert Manifest.read(fake_settings.kb_dir / CURRENT).counts["documents"] == 4
    vectors = load_vector_index(fake_settings.kb_dir / CURRENT / VECTORS_NAME)
    assert len(vectors) == run.chunks_total and vectors.dimension == 64
    again = run_index([three_docs.root], fake_settings, embedder=FakeEmbedder("fake-64", dim=64))
    assert again.rebuilt_because is None and again.chunks_embedded == 0


def test_pipeline_missing_path_is_an_error(tmp_path, fake_settings):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        run_index([tmp_path / "nowhere"], fake_settings)


@pytest.mark.parametrize("damage", ["no-index", "manifest", "database"])
def test_pipeline_missing_or_corrupt_index_is_reported_plainly(three_docs, fake_settings, damage):
    if damage != "no-index":
        run_index([three_docs.root], fake_settings)
        gen = (fake_settings.kb_dir / CURRENT).resolve()
        target = gen / ("manifest.json" if damage == "manifest" else "kb.sqlite")
        target.write_bytes(b"garbage, not what it should be" * 10)
    with pytest.raises(IndexUnavailableError) as err:
        KnowledgeBase(fake_settings).search(SearchRequest("racks"))
    assert str(fake_settings.kb_dir) in str(err.value)


def _fake_with_backend(embedding_backend: str) -> FakeEmbedder:
    embedder = FakeEmbedder()
    embedder.embedding_backend = embedding_backend
    return embedder


def test_pipeline_manifest_records_the_embedding_backend(three_docs, fake_settings):
    run = run_index([three_docs.root], fake_settings, embedder=_fake_with_backend("onnx-int8"))
    manifest = Manifest.read(fake_settings.kb_dir / CURRENT)
    assert manifest.backend == "onnx-int8"
    assert (
        json.loads((fake_settings.kb_dir / CURRENT / "manifest.json").read_text())["backend"]
        == "onnx-int8"
    )
    assert run.documents_total == 3


def test_pipeline_manifest_without_backend_reads_as_torch(three_docs, fake_settings):
    run_index([three_docs.root], fake_settings)
    path = fake_settings.kb_dir / CURRENT / "manifest.json"
    data = json.loads(path.read_text())
    assert data["backend"] == "torch"
    del data["backend"]  # as written before the field existed
    path.write_text(json.dumps(data))
    assert Manifest.read(fake_settings.kb_dir / CURRENT).backend == "torch"
    run_index([three_docs.root], fake_settings)  # an old torch index still updates in place


def test_pipeline_backend_change_rebuilds_with_a_clear_message(three_docs, fake_settings):
    run_index([three_docs.root], fake_settings)
    run = run_index([three_docs.root], fake_settings, embedder=_fake_with_backend("onnx"))
    assert re.search(r"\(torch\).*\(onnx\).*embedded again", run.rebuilt_because)
    assert run.chunks_embedded == run.chunks_total and run.chunks_reused == 0
    assert Manifest.read(fake_settings.kb_dir / CURRENT).backend == "onnx"


def test_pipeline_server_queries_with_the_manifest_backend(three_docs, fake_settings, monkeypatch):
    import kb.knowledge_base as knowledge_base

    run_index([three_docs.root], fake_settings, embedder=_fake_with_backend("onnx-int8"))
    calls = []

    def fake_create(*args, **kwargs):
        calls.append((args, kwargs))
        return _fake_with_backend(kwargs["embedding_backend"])

    monkeypatch.setattr(knowledge_base, "create_embedder", fake_create)
    kb = KnowledgeBase(fake_settings)
    kb.search(SearchRequest("vendor"))
    assert calls and calls[0][0][:2] == ("fake", "fake-256")
    assert calls[0][1]["embedding_backend"] == "onnx-int8"
    assert kb.stats()["backend"] == "onnx-int8"


def derived(settings) -> tuple[dict, list]:
    """The generation's term statistics, and each chunk's nearest chunk by its vector."""
    kb = KnowledgeBase(settings)
    stats = dict(kb.store.db.conn.execute("SELECT term, df FROM term_stats").fetchall())
    index = load_vector_index(settings.kb_dir / CURRENT / VECTORS_NAME)
    ids, vectors = kb.store.embeddings.of_all_chunks()
    nearest = [index.search(vector, 3) for vector in vectors]
    return stats, [
        (i, [hit for hit, _ in found]) for i, found in zip(ids.tolist(), nearest, strict=True)
    ]


def test_pipeline_updates_term_statistics_and_vectors_as_a_fresh_build_makes_them(
    three_docs, fake_settings, tmp_path, monkeypatch
):
    run_index([three_docs.root], fake_settings)
    builds, build = [], FlatIndex.build
    monkeypatch.setattr(FlatIndex, "build", lambda *a, **k: builds.append(1) or build(*a, **k))
    three_docs("eng/racks.md", markdown_doc(title="Rack lead times tripled"))
    three_docs("ops/new.md", markdown_doc("Runbook gaps", department="Operations",
               sections={"Lesson": "Runbook gaps hid the failover step; write the runbook."}))  # fmt: skip
    (three_docs.root / "hr/onboarding.md").unlink()
    run_index([three_docs.root], fake_settings)
    assert builds == []  # the live generation's index, updated
    fresh = fake_settings.__class__(**{**vars(fake_settings), "kb_dir": tmp_path / "fresh"})
    run_index([three_docs.root], fresh)
    stats, nearest = derived(fake_settings)
    fresh_stats, _ = derived(fresh)
    assert stats == fresh_stats and stats["runbook"] == 1  # a term of one document is kept
    assert all(found[0] == chunk for chunk, found in nearest)  # every chunk finds itself


def test_pipeline_compacts_the_database_only_when_much_of_it_is_free(write_doc, fake_settings):
    database = fake_settings.kb_dir / CURRENT / "kb.sqlite"
    long = {"Lesson": " ".join(f"word{i} lesson text" for i in range(3000))}
    for n in range(8):
        write_doc(f"d/{n}.md", markdown_doc(title=f"Lesson {n}", sections=long))
    run_index([write_doc.root], fake_settings)
    (write_doc.root / "d/0.md").unlink()
    run_index([write_doc.root], fake_settings)
    # One file of eight removed frees a few pages: the file is published as it is.
    assert 0 < _free_share(database) < generation_writer.VACUUM_FREE_SHARE
    size = database.stat().st_size
    for n in range(1, 7):
        (write_doc.root / f"d/{n}.md").unlink()
    run_index([write_doc.root], fake_settings)
    assert _free_share(database) == 0 and database.stat().st_size < size / 2


def _free_share(database) -> float:
    """The share of the published database's pages that are free (read-only)."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        return conn.execute("PRAGMA freelist_count").fetchone()[0] / pages


def records(lessons: dict[str, str]) -> str:
    rows = [
        {"id": key, "title": f"Lesson {key}", "type": "lesson", "department": "Ops",
         "date": "2024-01-01", "sections": {"lesson": text}}
        for key, text in lessons.items()
    ]  # fmt: skip
    return "\n".join(json.dumps(row) for row in rows) + "\n"


def test_pipeline_one_edited_record_of_many_is_the_only_document_replaced(write_doc, fake_settings):
    lessons = {f"r{n}": f"Record {n} says the pager rota had gaps." for n in range(5)}
    write_doc("log.jsonl", records(lessons))
    run_index([write_doc.root], fake_settings)
    rowids = dict(
        KnowledgeBase(fake_settings).store.db.conn.execute("SELECT id, rowid FROM documents")
    )
    write_doc("log.jsonl", records({**lessons, "r2": "Record 2 now names a backup."}))
    run = run_index([write_doc.root], fake_settings)
    assert (run.files_indexed, run.documents_indexed, run.chunks_embedded) == (1, 1, 1)
    kb = KnowledgeBase(fake_settings)
    after = dict(kb.store.db.conn.execute("SELECT id, rowid FROM documents"))
    assert {k for k in after if after[k] != rowids[k]} == {"r2"}  # the others untouched
    assert "backup" in kb.document("r2").document.sections[0].text


QUERIES = ["on-call runbook", "vendor lead time", "change freeze", "customer escalation"]


def answers(settings) -> tuple[list, list]:
    """What users see: hits per query (without chunk ids, which a re-index renumbers), and
    each document's related lessons."""
    kb = KnowledgeBase(settings)
    hits = [
        [(h.id, round(h.score, 6), h.section_key, h.snippet) for h in kb.search(SearchRequest(q))]
        for q in QUERIES
    ]
    related = [
        [(r.id, round(r.score, 6), r.shared_terms) for r in kb.related(doc_id)]
        for (doc_id,) in kb.store.db.conn.execute("SELECT id FROM documents ORDER BY id")
    ]
    return hits, related


@pytest.mark.slow
def test_pipeline_index_kept_up_by_changes_answers_as_a_fresh_one(tmp_path, fake_settings):
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLES / "corpus", folder)
    run_index([folder], fake_settings)
    files = sorted(folder.rglob("*.md"))
    files[0].write_text(files[0].read_text() + "\nThe on-call runbook now names a backup.\n")
    files[1].unlink()
    (folder / "new.md").write_text(markdown_doc("Change freeze broken", department="Sales"))
    run_index([folder], fake_settings)
    fresh = dataclasses.replace(fake_settings, kb_dir=tmp_path / "fresh")
    run_index([folder], fresh)
    assert answers(fake_settings) == answers(fresh)
