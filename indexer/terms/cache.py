"""What the glossary miner keeps between index runs in KB_DIR/cache/: per-document counts,
the general-English Zipf values it looked up, and its model's scores by split codes.

One SQLite file shared by every generation: a cache inside a generation's database would be
copied on every run. Only `kb index` opens it, under KB_DIR/.lock. It is an optimization
only, so a cache that cannot be read or written never fails a run: the run parses what it
cannot load, records a warning, and a broken file is replaced by an empty one.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import struct
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # imported when used: the index run finds this file without spaCy
    from indexer.terms.boosted import ScoreMemo
    from indexer.terms.doc_counts import DocCounts

log = logging.getLogger(__name__)

CACHE_DIR = "cache"
MINING_CACHE_NAME = "mining.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS doc_counts (
    fingerprint TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    counts BLOB NOT NULL,
    PRIMARY KEY (fingerprint, text_sha256)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS word_zipf (
    reference TEXT NOT NULL,
    word TEXT NOT NULL,
    zipf REAL NOT NULL,
    PRIMARY KEY (reference, word)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS model_scores (
    model TEXT PRIMARY KEY,
    codes BLOB NOT NULL,
    scores BLOB NOT NULL
);
"""
# Cheap and fast: the JSON shrinks about five-fold, and zlib's checksum catches a bad entry.
_ZLIB_LEVEL = 1


def mining_cache_path(kb_dir: Path) -> Path:
    return Path(kb_dir) / CACHE_DIR / MINING_CACHE_NAME


def clear_mining_cache(kb_dir: Path) -> None:
    """Forget every stored count, so that a rebuild re-parses every document."""
    try:
        _remove_database(mining_cache_path(kb_dir))
    except OSError as exc:  # counts are keyed by content: reusing them is still correct
        log.warning("could not clear the glossary mining cache: %s", exc)


def _remove_database(path: Path) -> None:
    # With its journal: a leftover journal would be replayed into the next file of that name.
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def encode_counts(counts: DocCounts) -> bytes:
    """A document's counts as its strings (ASCII JSON: escapes survive any string, even a
    lone surrogate from a mis-decoded file) and its numbers (int32 and float64 arrays),
    compressed: numbers read back as arrays, with no Python object per number."""
    from indexer.terms.doc_counts import NUMBER_FIELDS

    tally = counts.pos_patterns
    strings = [
        counts.surfaces,
        counts.lemmas,
        counts.contexts,
        tally.keys,
        list(counts.word_counts),
    ]
    header = json.dumps(strings, separators=(",", ":")).encode("ascii")
    columns = [counts.numbers[name] for name in NUMBER_FIELDS]
    columns += [tally.owners, tally.counts, list(counts.word_counts.values())]
    ints = np.concatenate([np.asarray(c, dtype="<i4") for c in columns])
    english = np.asarray(counts.english_context, dtype="<f8")
    head = struct.pack("<II", len(header), counts.n_tokens)
    return zlib.compress(head + header + ints.tobytes() + english.tobytes(), _ZLIB_LEVEL)


def decode_counts(blob: bytes) -> DocCounts:
    from indexer.terms.doc_counts import NUMBER_FIELDS, DocCounts, Tally

    data = zlib.decompress(blob)
    size, n_tokens = struct.unpack_from("<II", data)
    end = 8 + size
    surfaces, lemmas, contexts, keys, words = json.loads(data[8:end])
    k, t = len(surfaces), len(keys)
    n_ints = len(NUMBER_FIELDS) * k + 2 * t + len(words)
    ints = np.frombuffer(data, dtype="<i4", count=n_ints, offset=end).astype(np.int64)
    english = np.frombuffer(data, dtype="<f8", offset=end + 4 * n_ints)
    numbers = {name: ints[i * k : (i + 1) * k] for i, name in enumerate(NUMBER_FIELDS)}
    if len(lemmas) != k or len(english) != k:
        raise ValueError("counts whose parts disagree")
    rest = ints[len(NUMBER_FIELDS) * k :]
    word_counts = Counter(dict(zip(words, rest[2 * t :].tolist(), strict=True)))
    tally = Tally(rest[:t], keys, rest[t : 2 * t])
    return DocCounts(surfaces, lemmas, numbers, english, tally, word_counts, n_tokens, contexts)


class CacheOwnerGoneError(RuntimeError):
    """The process this cache was opened for is gone: writing now would race the next run."""


class MiningCache:
    """A `CountsStore` in one SQLite file; problems become `warnings`, never exceptions.

    ``path`` None keeps nothing, so every document is parsed. ``still_wanted``, asked
    before every write: False means the index run that holds KB_DIR/.lock for this process
    is gone, and the write raises `CacheOwnerGoneError` instead.
    """

    def __init__(self, path: Path | None, still_wanted: Callable[[], bool] | None = None):
        self.path = path
        self.warnings: list[str] = []
        self._still_wanted = still_wanted
        self._conn: sqlite3.Connection | None = None
        if path is not None:
            self._open()

    def load(self, fingerprint: str, digests: set[str]) -> dict[str, DocCounts]:
        try:
            rows = self._rows(fingerprint)
        except sqlite3.Error as exc:
            self._start_over(f"cannot be read ({exc})")
            return {}
        loaded, unreadable = {}, 0
        for digest, blob in rows:
            if digest in digests:
                try:
                    loaded[digest] = decode_counts(blob)
                except (zlib.error, struct.error, ValueError, TypeError, KeyError):
                    unreadable += 1
        if unreadable:
            self.warnings.append(f"{self.path}: {unreadable} unreadable entries; parsed again")
        return loaded

    def save(self, fingerprint: str, counts: Mapping[str, DocCounts]) -> None:
        rows = [(fingerprint, digest, encode_counts(found)) for digest, found in counts.items()]
        self._write("INSERT OR REPLACE INTO doc_counts VALUES (?, ?, ?)", rows)

    def keep_only(self, fingerprint: str, digests: set[str]) -> None:
        """Drop entries this corpus no longer uses: old texts, other pipelines."""
        try:
            stored = self._keys()
        except sqlite3.Error as exc:
            self._start_over(f"cannot be read ({exc})")
            return
        stale = [key for key in stored if key[0] != fingerprint or key[1] not in digests]
        self._write("DELETE FROM doc_counts WHERE fingerprint = ? AND text_sha256 = ?", stale)

    def load_zipf(self, reference: str) -> dict[str, float]:
        """Word -> Zipf value, as looked up in general English under ``reference``."""
        query = "SELECT word, zipf FROM word_zipf WHERE reference = ?"
        return dict(self._select(query, (reference,)))

    def save_zipf(self, reference: str, values: Mapping[str, float]) -> None:
        rows = [(reference, word, zipf) for word, zipf in values.items() if _storable(word)]
        self._write("INSERT OR REPLACE INTO word_zipf VALUES (?, ?, ?)", rows)

    def load_scores(self, model_digest: str) -> ScoreMemo:
        """The model's scores of the last run, empty when there are none for this model."""
        from indexer.terms.boosted import ScoreMemo

        query = "SELECT codes, scores FROM model_scores WHERE model = ?"
        rows = self._select(query, (model_digest,))
        return ScoreMemo.from_bytes(model_digest, *rows[0]) if rows else ScoreMemo(model_digest)

    def save_scores(self, memo: ScoreMemo) -> None:
        """Keep ``memo`` as the only stored scores: those of other models are no use."""
        row = (memo.model_digest, *memo.to_bytes())
        self._write_steps(
            [
                ("DELETE FROM model_scores", [()]),
                ("INSERT INTO model_scores VALUES (?, ?, ?)", [row]),
            ]
        )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _rows(self, fingerprint: str) -> list[tuple[str, bytes]]:
        if self._conn is None:
            return []
        query = "SELECT text_sha256, counts FROM doc_counts WHERE fingerprint = ?"
        return self._conn.execute(query, (fingerprint,)).fetchall()

    def _select(self, query: str, parameters: tuple) -> list[tuple]:
        if self._conn is None:
            return []
        try:
            return self._conn.execute(query, parameters).fetchall()
        except sqlite3.Error as exc:
            self._start_over(f"cannot be read ({exc})")
            return []

    def _keys(self) -> list[tuple[str, str]]:
        if self._conn is None:
            return []
        return self._conn.execute("SELECT fingerprint, text_sha256 FROM doc_counts").fetchall()

    def _write(self, statement: str, rows: list[tuple]) -> None:
        if rows:
            self._write_steps([(statement, rows)])

    def _write_steps(self, steps: list[tuple[str, list[tuple]]]) -> None:
        """Run each statement over its rows, all in one transaction."""
        if self._conn is None:
            return
        if self._still_wanted is not None and not self._still_wanted():
            raise CacheOwnerGoneError(f"{self.path}: its index run is gone; not written")
        try:
            with self._conn:
                for statement, rows in steps:
                    self._conn.executemany(statement, rows)
        except sqlite3.Error as exc:
            self._start_over(f"cannot be written ({exc})")

    def _open(self) -> None:
        try:
            self._conn = _connect(self.path)
        except (sqlite3.Error, OSError) as exc:
            self._start_over(f"cannot be opened ({exc})")

    def _start_over(self, problem: str) -> None:
        """Warn, then replace the file with an empty cache (or go on without one)."""
        self.warnings.append(
            f"{self.path}: glossary cache {problem}; starting it over, documents are parsed again"
        )
        self.close()
        try:
            _remove_database(self.path)
            self._conn = _connect(self.path)
        except (sqlite3.Error, OSError):
            self._conn = None  # every document is parsed; the next run tries again


def _storable(word: str) -> bool:
    """SQLite stores UTF-8: a lone surrogate from a mis-decoded file cannot be a key."""
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.executescript(_SCHEMA)  # where a file that is no database shows
        # No waiting for the disk: the journal still protects against a killed process, and
        # a file a crash of the machine left broken is replaced by an empty cache.
        conn.execute("PRAGMA synchronous = OFF")
    except sqlite3.Error:
        conn.close()
        raise
    return conn
