"""The index directory: generations written aside and switched in atomically.

Layout of a knowledge-base directory:

    KB_DIR/current -> gen-000007      symlink, swapped with one atomic rename
    KB_DIR/gen-000007/manifest.json   model, dimension, counts, schema version
    KB_DIR/gen-000007/kb.sqlite       documents, sections, chunks, embeddings, FTS
    KB_DIR/gen-000007/vectors.faiss   FAISS index, ids = chunk ids
    KB_DIR/cache/mining.sqlite        glossary mining's per-document counts, shared by all
                                      generations (indexer/terms/cache.py)

A run writes `.tmp-gen-*`, renames it to `gen-*` when complete and then repoints `current`,
so a server reading the previous generation never sees a half-written index. A run that was
killed leaves its `.tmp-gen-*` (a whole database copy) behind: the next run removes it as
soon as it holds KB_DIR/.lock (`remove_stale_temps`), whatever it then does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kb.documents.schema import SCHEMA_VERSION
from kb.problems import IndexUnavailableError

DB_NAME = "kb.sqlite"  # the database (kb.index.store)
VECTORS_NAME = "vectors.faiss"  # the FAISS index (kb.index.vectors) beside the database
MANIFEST_NAME = "manifest.json"
CURRENT = "current"
KEEP_GENERATIONS = 2
_GEN = re.compile(r"^gen-(\d+)$")


@dataclass(frozen=True)
class Manifest:
    schema_version: int
    embedder: str
    model: str
    dimension: int
    counts: dict
    generation: int
    created_at: str
    vector_index: str = "flat-ip"
    #: how the model ran (torch, onnx, onnx-int8); manifests written before it existed: torch
    backend: str = "torch"
    #: how keyword search scores: "postings" (kb.index.keywords) or, before those, "fts5"
    keyword_index: str = "fts5"
    #: which terms term_stats holds: "all", or, before index runs kept it up to date by
    #: changes, "shared" (only terms of two documents or more)
    term_stats: str = "shared"
    #: whether the generation holds each document's term vector (kb.index.document_terms),
    #: for related lessons; one written before they existed relates by meaning alone
    document_terms: bool = False
    #: whether it holds the scored pairs of lessons (kb.index.lesson_pairs), for recurrence
    lesson_pairs: bool = False

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST_NAME
        try:
            data = json.loads(path.read_text())
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except FileNotFoundError:
            raise IndexUnavailableError(
                f"{directory}: no manifest.json; not a Lessonbase index"
            ) from None
        except (ValueError, TypeError) as exc:
            raise IndexUnavailableError(f"{path}: corrupt manifest ({exc})") from None

    def write(self, directory: Path) -> None:
        (directory / MANIFEST_NAME).write_text(json.dumps(self.__dict__, indent=2) + "\n")


def current_generation(kb_dir: Path) -> Path | None:
    link = Path(kb_dir) / CURRENT
    if not link.exists():
        return None
    return link.resolve()


def require_generation(kb_dir: Path) -> Path:
    """The live generation directory, checked for completeness; a plain error otherwise."""
    kb_dir = Path(kb_dir)
    if not kb_dir.exists():
        raise IndexUnavailableError(
            f"no index at {kb_dir}; build one with `kb index PATH --kb {kb_dir}`"
        )
    gen = current_generation(kb_dir)
    if gen is None:
        raise IndexUnavailableError(
            f"{kb_dir} is not a Lessonbase index (no '{CURRENT}' generation)"
        )
    manifest = Manifest.read(gen)
    if manifest.schema_version != SCHEMA_VERSION:
        raise IndexUnavailableError(
            f"{kb_dir}: index schema version {manifest.schema_version}, this Lessonbase reads "
            f"{SCHEMA_VERSION}; rebuild it with `kb index --rebuild`"
        )
    for name in (DB_NAME, VECTORS_NAME):
        if not (gen / name).is_file():
            raise IndexUnavailableError(f"{gen}: missing {name}; the index is incomplete")
    return gen


def next_generation_number(kb_dir: Path) -> int:
    numbers = [int(m.group(1)) for p in Path(kb_dir).glob("gen-*") if (m := _GEN.match(p.name))]
    return max(numbers, default=0) + 1


def new_temp_generation(kb_dir: Path) -> Path:
    kb_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".tmp-gen-", dir=kb_dir))


def publish(kb_dir: Path, temp_dir: Path, number: int) -> Path:
    """Rename a finished temp generation into place and atomically repoint `current`."""
    final = kb_dir / f"gen-{number:06d}"
    os.chmod(temp_dir, 0o755)  # mkdtemp makes it private; readers may run as other users
    os.replace(temp_dir, final)
    link_tmp = kb_dir / f".{CURRENT}.tmp"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(final.name)
    os.replace(link_tmp, kb_dir / CURRENT)
    _remove_old(kb_dir, keep=final)
    return final


def remove_stale_temps(kb_dir: Path) -> None:
    """Remove what killed runs left half-written. Only under KB_DIR/.lock: no other run is
    writing, so every temporary generation there is stale."""
    for stale in Path(kb_dir).glob(".tmp-gen-*"):
        shutil.rmtree(stale, ignore_errors=True)
    (Path(kb_dir) / f".{CURRENT}.tmp").unlink(missing_ok=True)


def _remove_old(kb_dir: Path, keep: Path) -> None:
    """Drop all but the newest generations; a server may still be reading the previous one."""
    gens = sorted(
        (p for p in kb_dir.glob("gen-*") if _GEN.match(p.name)), key=lambda p: p.name, reverse=True
    )
    for old in gens[KEEP_GENERATIONS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    remove_stale_temps(kb_dir)
