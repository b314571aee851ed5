"""The glossary miner's rows (`term_candidates`) and what they were mined from
(`mining_basis`, `mined_documents`): written by every index run, read by the glossary and
kickoff packs."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from kb.index.db import Database
from kb.index.documents import dump_json
from kb.index.filters import Filters, filter_sql

_JSON_COLUMNS = ("departments", "variants", "contexts", "doc_ids")
_IN_DEPARTMENT = "EXISTS (SELECT 1 FROM json_each(term_candidates.departments) WHERE key = ?)"
# A candidate some document passing {access} uses (documents.id is unique, so indexed).
_READ_IN = (
    "EXISTS (SELECT 1 FROM json_each(term_candidates.doc_ids) j"
    " JOIN documents d ON d.id = j.value WHERE {access})"
)
_TEXTS = (
    "SELECT d.id, d.department, d.title || char(10) || group_concat(s.text, char(10) || char(10))"
    " FROM documents d JOIN sections s ON s.doc_rowid = d.rowid"
)


@dataclass(frozen=True)
class Access:
    """The documents one viewer may read, compiled once from the access filter
    (kb.index.filters) for every glossary read of a request: a condition on `documents d`."""

    sql: str
    params: tuple

    @classmethod
    def of(cls, filters: Filters | None) -> Access | None:
        """The compiled rule, or None for a viewer who reads everything (nothing to filter)."""
        if filters is None or not filters.restricts_access:
            return None
        access_only = Filters(
            viewer=filters.viewer, default_sensitivity=filters.default_sensitivity
        )
        sql, params = filter_sql(access_only)
        return cls(sql, tuple(params))


class Candidates:
    def __init__(self, db: Database):
        self.db = db
        self._reads_all: dict[Access, bool] = {}  # of a read-only generation, which never changes

    # -- writing (an index run) --------------------------------------------------------

    def replace(self, rows: list[dict]) -> None:
        self.db.conn.execute("DELETE FROM term_candidates")
        self._insert(rows)

    def update(self, rows: list[dict], rescored: list[tuple]) -> None:
        """Keep the stored rows named in ``rescored`` ((score, rank, accepted, term) each),
        with those values; drop every other stored row, and insert ``rows``."""
        conn = self.db.conn
        kept = {term for *_, term in rescored}
        stored = [row[0] for row in conn.execute("SELECT term FROM term_candidates")]
        dropped = [(term,) for term in stored if term not in kept]
        conn.executemany("DELETE FROM term_candidates WHERE term = ?", dropped)
        conn.executemany(
            "UPDATE term_candidates SET score = ?, rank = ?, accepted = ? WHERE term = ?", rescored
        )
        self._insert(rows)

    def _insert(self, rows: list[dict]) -> None:
        self.db.conn.executemany(
            "INSERT INTO term_candidates VALUES (:term, :display, :score, :rank, :accepted,"
            " :frequency, :document_frequency, :departments, :variants, :acronym, :expansion,"
            " :contexts, :doc_ids)",
            [{**row, **{k: dump_json(row[k]) for k in _JSON_COLUMNS}} for row in rows],
        )

    def basis(self) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
        """What the stored candidates were mined from: named values and the documents."""
        conn = self.db.conn
        named = dict(conn.execute("SELECT name, value FROM mining_basis").fetchall())
        documents = conn.execute("SELECT doc_id, text_sha256, metadata FROM mined_documents")
        return named, [tuple(row) for row in documents]

    def replace_basis(self, named: dict[str, str], documents: list[tuple]) -> None:
        conn = self.db.conn
        conn.execute("DELETE FROM mining_basis")
        conn.execute("DELETE FROM mined_documents")
        conn.executemany("INSERT INTO mining_basis VALUES (?, ?)", named.items())
        conn.executemany("INSERT INTO mined_documents VALUES (?, ?, ?)", documents)

    def variants(self) -> dict[str, list[str]]:
        """Each stored candidate's surface forms, by term."""
        rows = self.db.conn.execute("SELECT term, variants FROM term_candidates")
        return {term: list(json.loads(variants)) for term, variants in rows}

    # -- reading (the glossary, kickoff packs) -----------------------------------------

    def available(self) -> bool:
        """False for an index written before the miner existed (no candidate table)."""
        try:
            self.db.conn.execute("SELECT 1 FROM term_candidates LIMIT 0")
        except sqlite3.OperationalError:
            return False
        return True

    def all(self, limit: int = -1) -> list[dict]:
        """Every candidate row (JSON columns decoded), best ranked first."""
        return self._rows("1", (), limit)

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        """{key: candidate row} of those of ``keys`` that are stored."""
        sql = "SELECT * FROM term_candidates WHERE term IN ({marks}) ORDER BY rank"
        return {row["term"]: _decoded(row) for row in self.db.rows_in(sql, list(keys))}

    def ranked_keys(
        self, department: str = "", above_cutoff: bool = False, access: Access | None = None
    ) -> list[str]:
        """Candidate keys, best first, in one department and/or above the miner's cut-off;
        with `access`, only those a readable document uses (of that department, if named)."""
        where, params = ["1"], []
        if access is not None:
            in_department = "d.department = ? AND " if department else ""
            where.append(_READ_IN.format(access=f"{in_department}{access.sql}"))
            params.extend([*([department] if department else []), *access.params])
        elif department:
            where.append(_IN_DEPARTMENT)
            params.append(department)
        if above_cutoff:
            where.append("accepted = 1")
        sql = f"SELECT term FROM term_candidates WHERE {' AND '.join(where)} ORDER BY rank, term"
        return [row[0] for row in self.db.conn.execute(sql, params)]

    def displays(self) -> dict[str, str]:
        """{key: display form} of every candidate: the label the review queue shows."""
        return dict(self.db.conn.execute("SELECT term, display FROM term_candidates"))

    def with_forms(self, folded: list[str]) -> list[dict]:
        """Candidates whose key, display form or a variant, lower-cased, is in ``folded``."""
        marks = ",".join("?" * len(folded))
        where = (
            f"lower(term) IN ({marks}) OR lower(display) IN ({marks}) OR EXISTS (SELECT 1 FROM"
            f" json_each(term_candidates.variants) WHERE lower(json_each.key) IN ({marks}))"
        )
        return self._rows(where, tuple(folded) * 3)

    def departments(self, access: Access | None = None) -> list[str]:
        """Every department a candidate occurs in, by name; with `access`, only those with a
        readable document (a department known only from unreadable ones stays unnamed)."""
        readable = "1" if access is None else (
            f"j.key IN (SELECT DISTINCT d.department FROM documents d WHERE {access.sql})"
        )  # fmt: skip
        rows = self.db.conn.execute(
            "SELECT DISTINCT j.key FROM term_candidates, json_each(term_candidates.departments) j"
            f" WHERE {readable} ORDER BY j.key",
            access.params if access else (),
        )
        return [row[0] for row in rows]

    # -- what a viewer may read of them ------------------------------------------------

    def reads_all(self, access: Access | None) -> bool:
        """True when no document of the index is outside `access`: stored counts hold."""
        if access is None:
            return True
        if access in self._reads_all:
            return self._reads_all[access]
        sql = f"SELECT NOT EXISTS (SELECT 1 FROM documents d WHERE NOT ({access.sql}))"
        found = bool(self.db.conn.execute(sql, access.params).fetchone()[0])
        if self.db.read_only and len(self._reads_all) < 1000:
            self._reads_all[access] = found
        return found

    def readable(self, doc_ids: list[str], access: Access | None) -> dict[str, tuple[str, str]]:
        """{id: (title, department)} of those of ``doc_ids`` that exist and pass `access`."""
        sql = "SELECT d.id, d.title, d.department FROM documents d WHERE d.id IN ({marks})"
        if access is not None:
            sql += f" AND {access.sql}"
        params = access.params if access else ()
        rows = self.db.rows_in(sql, sorted(set(doc_ids)), params)
        return {doc_id: (title, department) for doc_id, title, department in rows}

    def texts(self, doc_ids: list[str]) -> dict[str, tuple[str, str]]:
        """{id: (department, title and sections)} of those of ``doc_ids`` with sections."""
        sql = f"{_TEXTS} WHERE d.id IN ({{marks}}) GROUP BY d.rowid"
        return {row[0]: (row[1], row[2]) for row in self.db.rows_in(sql, sorted(set(doc_ids)))}

    def readable_texts(self, access: Access) -> list[tuple[str, str, str]]:
        """(id, department, title and sections) of every document passing `access`."""
        sql = f"{_TEXTS} WHERE {access.sql} GROUP BY d.rowid ORDER BY d.id"
        return [tuple(row) for row in self.db.conn.execute(sql, access.params)]

    def accepted_shared(self) -> list[tuple[str, dict, str | None, int]]:
        """(display, variants, expansion, documents) of the candidates past the miner's
        cut-off that more than one document uses; none in an index from before the miner."""
        try:
            rows = self.db.conn.execute(
                "SELECT display, variants, expansion, document_frequency FROM term_candidates"
                " WHERE accepted = 1 AND document_frequency > 1"
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [(d, json.loads(variants or "{}"), e, n) for d, variants, e, n in rows]

    def accepted_shared_readable(
        self, filters: Filters, forms: list[str] | None = None
    ) -> list[tuple[str, dict, str | None, int]]:
        """accepted_shared as one reader sees it: (display, variants, expansion, documents)
        counting only the documents passing `filters` (its access rule), candidates none of
        whose documents pass left out, and the expansion kept only when every document it
        may come from passes (it is text from one of them). With `forms` (lower-cased), only
        the candidates written so."""
        where, params = filter_sql(filters)
        if forms is not None:
            marks = ",".join("?" * len(forms))
            where += (
                f" AND (lower(t.display) IN ({marks}) OR EXISTS (SELECT 1 FROM"
                f" json_each(t.variants) v WHERE lower(v.key) IN ({marks})))"
            )
            params = [*params, *forms, *forms]
        try:
            rows = self.db.conn.execute(
                "SELECT t.display, t.variants, t.expansion, t.document_frequency, COUNT(*)"
                " FROM term_candidates t, json_each(t.doc_ids) j"
                " JOIN documents d ON d.id = j.value"
                f" WHERE t.accepted = 1 AND t.document_frequency > 1 AND {where}"
                " GROUP BY t.term",
                params,
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [
            (d, json.loads(variants or "{}"), e if readable == n else None, readable)
            for d, variants, e, n, readable in rows
        ]

    def in_document(self, doc_id: str) -> list[tuple[str, list[str], bool, set[str]]]:
        """(display, variants, past the cut-off, doc ids) of the candidates a document uses,
        best ranked first; none in an index from before the miner."""
        pattern = (
            "%"
            + json.dumps(doc_id, ensure_ascii=False).replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        try:
            rows = self.db.conn.execute(
                "SELECT display, variants, accepted, doc_ids FROM term_candidates"
                " WHERE doc_ids LIKE ? ESCAPE '\\' ORDER BY rank",
                (pattern,),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        found = [(d, list(json.loads(v)), bool(a), set(json.loads(ids))) for d, v, a, ids in rows]
        return [row for row in found if doc_id in row[3]]  # LIKE also matches inside a longer id

    def _rows(self, where: str, params: tuple, limit: int = -1) -> list[dict]:
        sql = f"SELECT * FROM term_candidates WHERE {where} ORDER BY rank LIMIT {int(limit)}"
        return [_decoded(row) for row in self.db.conn.execute(sql, params)]


def _decoded(row: sqlite3.Row) -> dict:
    return {
        **dict(row),
        **{k: json.loads(row[k]) for k in _JSON_COLUMNS},
        "accepted": bool(row["accepted"]),
    }
