"""The glossary miner's rows in a generation's database: `term_candidates`, and what they
were mined from (`mining_basis`, `mined_documents`). A part of `Store`."""

from __future__ import annotations

import json

_CANDIDATE_JSON = ("departments", "variants", "contexts", "doc_ids")


class CandidateRows:
    """`Store`'s methods for candidate rows; ``self.conn`` is the store's connection."""

    def replace_term_candidates(self, rows: list[dict]) -> None:
        self.conn.execute("DELETE FROM term_candidates")
        self._insert_term_candidates(rows)

    def _insert_term_candidates(self, rows: list[dict]) -> None:
        self.conn.executemany(
            "INSERT INTO term_candidates VALUES (:term, :display, :score, :rank, :accepted,"
            " :frequency, :document_frequency, :departments, :variants, :acronym, :expansion,"
            " :contexts, :doc_ids)",
            [{**row, **{k: dump_json(row[k]) for k in _CANDIDATE_JSON}} for row in rows],
        )

    def update_term_candidates(self, rows: list[dict], rescored: list[tuple]) -> None:
        """Keep the stored rows named in ``rescored`` ((score, rank, accepted, term) each),
        with those values; drop every other stored row, and insert ``rows``."""
        kept = {term for *_, term in rescored}
        stored = [row[0] for row in self.conn.execute("SELECT term FROM term_candidates")]
        dropped = [(term,) for term in stored if term not in kept]
        self.conn.executemany("DELETE FROM term_candidates WHERE term = ?", dropped)
        self.conn.executemany(
            "UPDATE term_candidates SET score = ?, rank = ?, accepted = ? WHERE term = ?", rescored
        )
        self._insert_term_candidates(rows)

    def candidate_variants(self) -> dict[str, list[str]]:
        """Each stored candidate's surface forms, by term."""
        rows = self.conn.execute("SELECT term, variants FROM term_candidates")
        return {term: list(json.loads(variants)) for term, variants in rows}

    def mining_basis(self) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
        """What the stored candidates were mined from: named values and the documents."""
        named = dict(self.conn.execute("SELECT name, value FROM mining_basis").fetchall())
        documents = self.conn.execute("SELECT doc_id, text_sha256, metadata FROM mined_documents")
        return named, [tuple(row) for row in documents]

    def replace_mining_basis(self, named: dict[str, str], documents: list[tuple]) -> None:
        self.conn.execute("DELETE FROM mining_basis")
        self.conn.execute("DELETE FROM mined_documents")
        self.conn.executemany("INSERT INTO mining_basis VALUES (?, ?)", named.items())
        self.conn.executemany("INSERT INTO mined_documents VALUES (?, ?, ?)", documents)

    def term_candidates(self, where: str = "1", params: tuple = (), limit: int = -1) -> list[dict]:
        rows = self.conn.execute(
            f"SELECT * FROM term_candidates WHERE {where} ORDER BY rank LIMIT {int(limit)}", params
        )
        return [
            {
                **dict(row),
                **{k: json.loads(row[k]) for k in _CANDIDATE_JSON},
                "accepted": bool(row["accepted"]),
            }
            for row in rows
        ]


def dump_json(value) -> str:
    """A value as the store keeps JSON columns: any type as its string, non-ASCII as is."""
    return json.dumps(value, default=str, ensure_ascii=False)
