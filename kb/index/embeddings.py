"""The embedding cache (`embeddings`): one vector per chunk text, by the text's hash, so an
unchanged text is never embedded again; and the chunks' vectors read through it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.index.db import Database

if TYPE_CHECKING:
    import numpy as np

_CHUNK_VECTORS = "SELECT c.id, e.vector FROM chunks c JOIN embeddings e USING (content_hash)"


class Embeddings:
    def __init__(self, db: Database):
        self.db = db

    def put(self, hashes: list[str], vectors: np.ndarray) -> None:
        import numpy as np

        self.db.conn.executemany(
            "INSERT OR REPLACE INTO embeddings VALUES (?, ?)",
            [(h, v.astype(np.float32).tobytes()) for h, v in zip(hashes, vectors, strict=True)],
        )

    def known(self, hashes: list[str]) -> set[str]:
        """Those of ``hashes`` that have a vector."""
        sql = "SELECT content_hash FROM embeddings WHERE content_hash IN ({marks})"
        return {row[0] for row in self.db.rows_in(sql, hashes)}

    def forget(self) -> None:
        """Drop every stored vector (the model changed): all chunks will be embedded again."""
        self.db.conn.execute("DELETE FROM embeddings")

    def prune(self) -> None:
        """Drop the vectors of texts no chunk has any more."""
        self.db.conn.execute(
            "DELETE FROM embeddings WHERE content_hash NOT IN (SELECT content_hash FROM chunks)"
        )

    def of_all_chunks(self) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, vectors) for every chunk, in chunk id order."""
        rows = self.db.conn.execute(f"{_CHUNK_VECTORS} ORDER BY c.id").fetchall()
        return _ids_and_vectors(rows)

    def of_chunks(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, vectors) of those of ``ids`` that exist, in chunk id order."""
        sql = f"{_CHUNK_VECTORS} WHERE c.id IN ({{marks}}) ORDER BY c.id"
        return _ids_and_vectors(list(self.db.rows_in(sql, sorted(set(ids)))))  # batches in order

    def of_document(self, doc_rowid: int) -> tuple[list, np.ndarray]:
        """A document's chunk rows (in order) and their vectors."""
        import numpy as np

        rows = self.db.conn.execute(
            "SELECT c.*, e.vector FROM chunks c JOIN embeddings e USING (content_hash)"
            " WHERE c.doc_rowid = ? ORDER BY c.position",
            (doc_rowid,),
        ).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return rows, np.stack([np.frombuffer(r["vector"], dtype=np.float32) for r in rows])


def _ids_and_vectors(rows: list) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return ids, np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
