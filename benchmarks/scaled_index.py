"""Build a large index (100k, 1M chunks) from the NASA lessons index, for search at scale.

    .venv/bin/python benchmarks/scaled_index.py --chunks 1000000 [--kb DIR] [--force]

What is real and what is generated:

- real: every sentence, title, section heading and tag comes from the 1,292 NASA lessons
  (the index bench_index_nasa.py builds, .bench/nasa-index); every vector starts from the
  real all-MiniLM-L6-v2 vector of a NASA chunk; the glossary candidates are the NASA ones;
- generated (seeded): document k copies the chunk structure of NASA lesson k mod 1,292; each
  of its chunks keeps about 70% of the NASA chunk's sentences and swaps the rest for
  sentences drawn from all other chunks; half the titles get a fragment of another title;
  department (40, Zipf-like), type (lesson, retrospective, meeting notes) and date
  (1981-2025) are drawn at random; each vector is the NASA chunk's vector plus small Gaussian
  noise, renormalized; term document frequencies are the NASA ones scaled by size.

Embedding a million chunks with the real model would take hours on 2 cores, hence vectors
near the real ones rather than vectors of the recombined text. Query vectors at search time
do come from the real model (the server embeds each query).

The result is a real index generation (kb.sqlite with the store's schema, vectors.faiss,
manifest.json, `current` symlink), written in bulk (one transaction, executemany, FTS5
filled by one INSERT ... SELECT and optimized), so `kb serve` serves it unmodified. It is
kept under .bench/scaled-<size> with build.json (parameters, build seconds) and reused.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR  # noqa: E402

from kb.documents.chunking import sentence_spans  # noqa: E402
from kb.documents.schema import SCHEMA_VERSION  # noqa: E402
from kb.index.document_terms import DOCUMENT_TERMS_NAME, build_document_terms  # noqa: E402
from kb.index.generations import (  # noqa: E402
    DB_NAME,
    VECTORS_NAME,
    Manifest,
    current_generation,
    new_temp_generation,
    next_generation_number,
    publish,
)
from kb.index.keywords import KEYWORDS_NAME, build_postings  # noqa: E402
from kb.index.store import Store  # noqa: E402
from kb.index.vectors import EXACT_MAX_VECTORS, build_vector_index  # noqa: E402

BUILDER_VERSION = 2  # 2: keyword postings (kb.index.keywords)
SOURCE = BENCH_DIR / "nasa-index"
SWAP_SHARE = 0.3  # share of a chunk's sentences replaced by sentences from other chunks
BATCH_DOCS = 5_000
DEPARTMENTS = (
    "KSC JSC JPL HQ GSFC MSFC GRC ARC LARC AFRC NESC SSC WSTF IVV".split()
    + [
        "Engineering", "Flight Operations", "Ground Systems", "Safety & Mission Assurance",
        "Procurement", "Facilities", "Information Technology", "Human Resources", "Finance",
        "Legal", "Program Planning", "Quality Assurance", "Test & Verification", "Logistics",
        "Training", "Communications", "Security", "Software Assurance", "Propulsion",
        "Avionics", "Structures", "Thermal", "Mission Design", "Launch Services",
        "Range Safety", "Environmental",
    ]
)  # fmt: skip
TYPES = (("lesson", 0.7), ("retrospective", 0.2), ("meeting-notes", 0.1))
FIRST_DAY = dt.date(1981, 1, 1).toordinal()
LAST_DAY = dt.date(2025, 12, 31).toordinal()


@dataclass
class SourceChunk:
    section_key: str
    heading: str
    sentences: list[str]
    vector: int  # row in Source.vectors


@dataclass
class SourceDoc:
    id: str
    title: str
    tags: list[str]
    chunks: list[SourceChunk] = field(default_factory=list)


@dataclass
class Source:
    gen: Path
    manifest: Manifest
    docs: list[SourceDoc]
    vectors: np.ndarray
    pool: list[str]  # every sentence of every chunk
    titles: list[str]


def load_source(kb_dir: Path = SOURCE) -> Source:
    """The NASA index's documents, chunks (split into sentences) and real vectors."""
    gen = current_generation(kb_dir)
    if gen is None:
        raise SystemExit(f"no index at {kb_dir}: run benchmarks/bench_index_nasa.py first")
    store = Store(gen / DB_NAME, read_only=True)
    ids, vectors = store.embeddings.of_all_chunks()
    conn = store.db.conn  # whole tables, in the order this generator needs them
    row_of = {int(chunk_id): row for row, chunk_id in enumerate(ids)}
    docs = {
        r["rowid"]: SourceDoc(r["id"], r["title"], json.loads(r["tags"] or "[]"))
        for r in conn.execute("SELECT rowid, id, title, tags FROM documents ORDER BY rowid")
    }
    chunks = conn.execute(
        "SELECT id, doc_rowid, section_key, section_heading, text FROM chunks"
        " ORDER BY doc_rowid, position"
    )
    for r in chunks:
        sentences = [r["text"][s.start : s.end] for s in sentence_spans(r["text"])]
        docs[r["doc_rowid"]].chunks.append(
            SourceChunk(r["section_key"], r["section_heading"], sentences, row_of[r["id"]])
        )
    kept = [d for d in docs.values() if d.chunks]
    pool = [s for d in kept for c in d.chunks for s in c.sentences]
    return Source(gen, Manifest.read(gen), kept, vectors, pool, [d.title for d in kept])


@dataclass
class Batch:
    """Rows for a run of generated documents, ready for executemany."""

    documents: list[tuple] = field(default_factory=list)
    sections: list[tuple] = field(default_factory=list)
    tags: list[tuple] = field(default_factory=list)
    chunks: list[tuple] = field(default_factory=list)
    vector_rows: list[int] = field(default_factory=list)  # source vector of each chunk


class Generator:
    """Seeded variations of the NASA documents; document k follows NASA lesson k mod n."""

    def __init__(self, source: Source, seed: int):
        self.source = source
        self.rng = random.Random(seed)
        weights = [1 / (rank + 1) for rank in range(len(DEPARTMENTS))]
        self.departments = self.rng.choices(DEPARTMENTS, weights, k=4096)

    def sentences(self, chunk: SourceChunk) -> str:
        pool, rng = self.source.pool, self.rng
        picked = [s if rng.random() >= SWAP_SHARE else rng.choice(pool) for s in chunk.sentences]
        return " ".join(picked)

    def title(self, template: SourceDoc, variant: int) -> str:
        if variant == 0 or self.rng.random() < 0.5:
            return template.title
        other = self.rng.choice(self.source.titles).split()
        return f"{template.title}: {' '.join(other[: self.rng.randint(3, 6)])}"

    def document_row(self, rowid: int, title: str, template: SourceDoc) -> tuple:
        rng = self.rng
        doc_type = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
        date = dt.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY)).isoformat()
        extra = json.dumps({"generated_from": template.id})
        return (
            rowid, f"scaled-{rowid}", title, doc_type, rng.choice(self.departments), date,
            "", "", "", "", "", "[]", "[]", json.dumps(template.tags), extra,
            "benchmarks/scaled_index.py", rowid,
        )  # fmt: skip

    def add_document(self, batch: Batch, rowid: int, chunk_id: int, budget: int) -> int:
        """Append document `rowid` (at most `budget` chunks) to batch; returns its chunk count."""
        n = len(self.source.docs)
        template = self.source.docs[(rowid - 1) % n]
        title = self.title(template, (rowid - 1) // n)
        batch.documents.append(self.document_row(rowid, title, template))
        batch.tags.extend((rowid, tag) for tag in template.tags)
        sections: dict[str, tuple[str, list[str]]] = {}
        for position, chunk in enumerate(template.chunks[:budget]):
            texts = sections.setdefault(chunk.section_key, (chunk.heading, []))[1]
            ids = (chunk_id + position, rowid, chunk.section_key, chunk.heading, position)
            batch.chunks.append(self.chunk_row(chunk, title, texts, ids))
            batch.vector_rows.append(chunk.vector)
        batch.sections.extend(
            (rowid, i, key, heading, " ".join(texts))
            for i, (key, (heading, texts)) in enumerate(sections.items())
        )
        return min(budget, len(template.chunks))

    def chunk_row(self, chunk: SourceChunk, title: str, texts: list[str], ids: tuple) -> tuple:
        """A chunks row from its leading columns `ids`; the text joins its section's `texts`."""
        text = self.sentences(chunk)
        start = sum(len(t) + 1 for t in texts)
        embed_text = (
            f"{title}. {chunk.heading}: {text}"  # as kb.documents.chunking.Chunk.embed_text
        )
        digest = hashlib.sha256(embed_text.encode()).hexdigest()[:32]
        texts.append(text)
        return (*ids, len(texts) - 1, text, start, start + len(text), digest)


def batches(source: Source, chunks_total: int, seed: int):
    """Batches of generated documents until `chunks_total` chunks exist (ids from 1)."""
    generator = Generator(source, seed)
    rowid, chunk_id = 1, 1
    while chunk_id <= chunks_total:
        batch = Batch()
        while len(batch.documents) < BATCH_DOCS and chunk_id <= chunks_total:
            chunk_id += generator.add_document(batch, rowid, chunk_id, chunks_total - chunk_id + 1)
            rowid += 1
        yield batch


class Writer:
    """Writes batches into a fresh store in one transaction; keeps every chunk's vector."""

    def __init__(self, store: Store, source: Source, chunks_total: int, noise: float, seed: int):
        self.conn = store.db.conn  # bulk inserts of whole batches, past the repositories
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -1000000"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.source = source
        self.noise = noise
        self.rng = np.random.default_rng(seed)
        self.vectors = np.zeros((chunks_total, source.vectors.shape[1]), dtype=np.float32)
        self.first_id: dict[str, int] = {}  # content hash -> first chunk id with it

    def write(self, batch: Batch) -> None:
        self.conn.executemany(f"INSERT INTO documents VALUES ({_marks(17)})", batch.documents)
        self.conn.executemany("INSERT INTO sections VALUES (?,?,?,?,?)", batch.sections)
        self.conn.executemany("INSERT INTO doc_tags VALUES (?,?)", batch.tags)
        self.conn.executemany(f"INSERT INTO chunks VALUES ({_marks(10)})", batch.chunks)
        self.conn.executemany("INSERT INTO embeddings VALUES (?,?)", self.embeddings(batch))

    def embeddings(self, batch: Batch) -> list[tuple[str, bytes]]:
        """Noisy copies of the source vectors; a repeated content hash reuses its vector."""
        noisy = self.source.vectors[batch.vector_rows]
        noisy = noisy + self.noise * self.rng.standard_normal(noisy.shape, dtype=np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        rows = []
        for row, vector in zip(batch.chunks, noisy, strict=True):
            chunk_id, digest = row[0], row[-1]
            first = self.first_id.setdefault(digest, chunk_id)
            self.vectors[chunk_id - 1] = vector if first == chunk_id else self.vectors[first - 1]
            if first == chunk_id:
                rows.append((digest, vector.tobytes()))
        return rows


def _marks(count: int) -> str:
    return ",".join("?" * count)


def finish_store(conn, source: Source, documents: int) -> None:
    """Full-text index in one pass, term statistics, glossary candidates, the source row."""
    conn.execute(
        "INSERT INTO chunks_fts (rowid, title, heading, text)"
        " SELECT c.id, d.title, c.section_heading, c.text"
        " FROM chunks c JOIN documents d ON d.rowid = c.doc_rowid ORDER BY c.id"
    )
    conn.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')")
    conn.execute("ATTACH DATABASE ? AS src", (f"file:{source.gen / DB_NAME}?mode=ro",))
    scale = documents / len(source.docs)
    conn.execute(
        "INSERT INTO term_stats SELECT term, CAST(df * ? AS INTEGER) FROM src.term_stats", (scale,)
    )
    conn.execute("INSERT INTO term_candidates SELECT * FROM src.term_candidates")
    conn.commit()
    conn.execute("DETACH DATABASE src")
    conn.execute(
        "INSERT INTO sources VALUES (?, ?, 0, ?)",
        ("benchmarks/scaled_index.py", f"scaled-{documents}", dt.datetime.now(dt.UTC).isoformat()),
    )
    conn.commit()


def write_vectors_and_manifest(temp: Path, writer: Writer, source: Source, number: int) -> str:
    ids = np.arange(1, len(writer.vectors) + 1, dtype=np.int64)
    index = build_vector_index(ids, writer.vectors, writer.vectors.shape[1])
    index.save(temp / VECTORS_NAME)
    counts = Store(temp / DB_NAME, read_only=True).counts()
    m = source.manifest
    Manifest(
        schema_version=SCHEMA_VERSION, embedder=m.embedder, model=m.model, dimension=m.dimension,
        backend=m.backend, counts=counts, generation=number,
        created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), vector_index=index.kind,
        keyword_index="postings", document_terms=True,
    ).write(temp)  # fmt: skip
    return index.kind


@contextlib.contextmanager
def timed(phases: dict, name: str):
    """Record the seconds a step of the build takes in phases[name]."""
    started = time.perf_counter()
    yield
    phases[name] = round(time.perf_counter() - started, 1)


def write_generation(temp: Path, source: Source, params: dict, phases: dict) -> dict:
    """Store, full-text index, vectors and manifest of a generated generation in `temp`."""
    store = Store(temp / DB_NAME)
    writer = Writer(store, source, params["chunks"], params["noise"], params["seed"])
    documents = 0
    with timed(phases, "documents and chunks"):
        for batch in batches(source, params["chunks"], params["seed"]):
            writer.write(batch)
            documents += len(batch.documents)
    with timed(phases, "full-text index"):
        finish_store(store.db.conn, source, documents)
    with timed(phases, "keyword postings"):
        postings = build_postings(store)
        postings.save(temp / KEYWORDS_NAME)
        store.commit()
    with timed(phases, "document term vectors"):
        build_document_terms(store, postings).save(temp / DOCUMENT_TERMS_NAME)
    with timed(phases, "vacuum"):
        store.db.vacuum()
        store.close()
    with timed(phases, "vector index"):
        kind = write_vectors_and_manifest(temp, writer, source, next_generation_number(temp.parent))
    return {"documents": documents, "vector_index": kind}


def build_parameters(chunks: int, seed: int, noise: float) -> dict:
    """What a cached index must have been built with to be reused (the vector index kind
    follows EXACT_MAX_VECTORS)."""
    return {
        "builder": BUILDER_VERSION,
        "chunks": chunks,
        "seed": seed,
        "noise": noise,
        "exact_max_vectors": EXACT_MAX_VECTORS,
    }


def build_scaled_index(kb_dir: Path, chunks: int, seed: int = 0, noise: float = 0.02) -> dict:
    """Build (or rebuild) the index; returns what build.json records."""
    params = build_parameters(chunks, seed, noise)
    phases: dict[str, float] = {}
    with timed(phases, "load NASA source"):
        source = load_source()
    temp = new_temp_generation(kb_dir)
    try:
        figures = write_generation(temp, source, params, phases)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    final = publish(kb_dir, temp, next_generation_number(kb_dir))
    record = {**params, **figures, "seconds": {**phases, "total": round(sum(phases.values()), 1)}}
    record["disk_bytes"] = sum(p.stat().st_size for p in final.iterdir())
    (kb_dir / "build.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def scaled_index(chunks: int, seed: int = 0, noise: float = 0.02, force: bool = False) -> tuple:
    """(kb_dir, build record) for .bench/scaled-<chunks>, built only when missing or stale."""
    kb_dir = BENCH_DIR / f"scaled-{chunks}"
    wanted = build_parameters(chunks, seed, noise)
    record_path = kb_dir / "build.json"
    if not force and current_generation(kb_dir) is not None and record_path.exists():
        record = json.loads(record_path.read_text())
        if {k: record.get(k) for k in wanted} == wanted:
            return kb_dir, record
    print(f"building {kb_dir} ({chunks:,} chunks) ...", flush=True)
    return kb_dir, build_scaled_index(kb_dir, chunks, seed, noise)


def describe(kb_dir: Path, record: dict) -> str:
    total = record["seconds"]["total"]
    steps = ", ".join(f"{k} {v}s" for k, v in record["seconds"].items() if k != "total")
    return (
        f"{kb_dir}: {record['documents']:,} documents, {record['chunks']:,} chunks, "
        f"{record['vector_index']}, {record['disk_bytes'] / 2**30:.2f} GiB on disk; "
        f"built in {total}s ({steps})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--noise", type=float, default=0.02, help="Gaussian sigma per dimension")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args()
    kb_dir, record = scaled_index(args.chunks, args.seed, args.noise, args.force)
    print(describe(kb_dir, record))


if __name__ == "__main__":
    main()
