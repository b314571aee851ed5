"""The SQLite access helper: migrations by user_version, transactions, batched IN lists,
reads side by side, and closing."""

import sqlite3
import threading

import pytest

from kb.index.db import Database
from kb.index.schema import MIGRATIONS
from kb.index.store import Store
from kb.kickoff.vocabulary import corpus_terms
from kb.problems import IndexUnavailableError
from tests.conftest import held_files

TABLE = ("CREATE TABLE numbers (n INTEGER PRIMARY KEY);",)


def tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}


def test_db_a_new_database_gets_every_table_at_the_latest_version(tmp_path):
    store = Store(tmp_path / "kb.sqlite")
    assert store.db.version == len(MIGRATIONS)
    assert {"documents", "chunks", "chunks_fts", "term_candidates", "sources"} <= tables(
        tmp_path / "kb.sqlite"
    )


def test_db_an_older_index_is_read_as_is_and_upgraded_by_a_writable_open(database):
    with sqlite3.connect(database) as conn:  # as written before the miner and user_version
        conn.executescript(
            "DROP TABLE term_candidates; DROP TABLE mining_basis; PRAGMA user_version = 0;"
        )
    served = Store(database, read_only=True)
    assert not served.candidates.available() and corpus_terms(served) == {}
    assert served.db.version == 0  # a server never writes
    served.close()
    upgraded = Store(database)
    assert upgraded.db.version == len(MIGRATIONS) and upgraded.candidates.available()
    assert upgraded.documents.count() == 12 and upgraded.candidates.all() == []


def test_db_a_database_newer_than_this_code_is_refused_for_writing(tmp_path):
    path = tmp_path / "kb.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(IndexUnavailableError, match=r"kb\.sqlite.*newer.*--rebuild"):
        Store(path)


def test_db_a_transaction_commits_or_rolls_back_as_a_whole(tmp_path):
    db = Database(tmp_path / "n.sqlite", migrations=TABLE)
    with db.transaction() as conn:
        conn.execute("INSERT INTO numbers VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError), db.transaction() as conn:
        conn.execute("INSERT INTO numbers VALUES (2)")
        conn.execute("INSERT INTO numbers VALUES (1)")  # fails: 2 goes with it
    other = Database(tmp_path / "n.sqlite", read_only=True)
    assert [row[0] for row in other.conn.execute("SELECT n FROM numbers")] == [1]
    assert db.changed


def test_db_an_in_list_longer_than_sqlite_takes_is_read_in_batches(tmp_path):
    db = Database(tmp_path / "n.sqlite", migrations=TABLE)
    db.conn.executemany("INSERT INTO numbers VALUES (?)", [(n,) for n in range(50_000)])
    wanted = list(range(0, 100_000, 2))  # 50,000 values: SQLite takes at most 32,766
    sql = "SELECT n FROM numbers WHERE n IN ({marks}) AND n >= ?"
    assert [row[0] for row in db.rows_in(sql, wanted, [10])] == list(range(10, 50_000, 2))


def test_db_reads_run_side_by_side_with_the_same_rows(database):
    db = Database(database, read_only=True, readers=2)
    sql = "SELECT rowid, -bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY 2"
    queries = [(sql, ['"vendor"']), (sql, ['"telemetry" OR "lesson"']), (sql, ['"nothing"'])]
    sequential = [[tuple(r) for r in db.conn.execute(q, p)] for q, p in queries]
    before = set(threading.enumerate())
    assert [[tuple(r) for r in rows] for rows in db.fetch_many(queries)] == sequential
    readers = [t for t in set(threading.enumerate()) - before if t.name.startswith("kb-read")]
    assert readers  # the later queries ran on reader threads
    db.close()
    for thread in readers:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in readers)


def test_db_close_lets_go_of_the_file_in_every_thread(database):
    db = Database(database, read_only=True)
    worker = threading.Thread(target=lambda: db.conn.execute("SELECT 1 FROM chunks").fetchall())
    worker.start()
    worker.join()
    assert held_files(database.parent, deleted_only=False)
    db.close()
    assert not held_files(database.parent, deleted_only=False)
