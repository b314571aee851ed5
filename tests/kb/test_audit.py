"""The record of restricted reads: written behind the reader's back, yet seen by any other
reader of the state database within the flush interval, and by `list` at once. On SQLite
and PostgreSQL."""

from __future__ import annotations

import time

import pytest

from kb.audit import AuditFilterError, ReadFilters, ReadLog


def wait_for_rows(log: ReadLog, count: int, seconds: float = 5.0) -> int:
    deadline = time.monotonic() + seconds
    while (total := log.list(ReadFilters()).total) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return total


def test_audit_reads_reach_another_process_view_without_a_flush(state_db):
    server = ReadLog(state_db, flush_seconds=0.05)
    server.record("lena", "res", "page")
    other = ReadLog(state_db)  # as `kb audit reads`, or a second server
    assert wait_for_rows(other, 1) == 1
    server.close()


def test_audit_list_includes_what_this_log_just_recorded_newest_first(state_db):
    log = ReadLog(state_db, flush_seconds=60)
    for doc_id in ("a", "b", "c"):
        log.record("lena", doc_id, "api")
    listed = log.list(ReadFilters(per_page=2))
    assert listed.total == 3 and listed.pages == 2 and len(listed.reads) == 2
    assert {read.document_id for read in listed.reads} <= {"a", "b", "c"}
    log.close()


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        ({"since": "last week"}, "since"),
        ({"user": "x" * 65}, "user"),
        ({"per_page": 0}, "per_page"),
    ],
)
def test_audit_filter_out_of_bounds_is_refused_naming_it(filters, named):
    with pytest.raises(AuditFilterError, match=f"^{named}"):
        ReadFilters(**filters)
