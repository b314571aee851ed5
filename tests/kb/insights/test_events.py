"""Usage events: what each record holds, names only when an admin turns that on, and
retention that summarizes old events into monthly counts and drops them. On SQLite and
PostgreSQL (state_url)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from kb.access import Viewer
from kb.insights.events import EventRecorder
from kb.state.tables import usage_events, usage_summaries

ANA = Viewer(True, "ana", ("Finance", "Legal"))
NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, moment: dt.datetime = NOW):
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def events(state_db) -> list[dict]:
    with state_db.engine.connect() as conn:
        rows = conn.execute(select(usage_events).order_by(usage_events.c.seq)).mappings()
        return [dict(row) for row in rows]


def summaries(state_db) -> dict[tuple, int]:
    with state_db.engine.connect() as conn:
        rows = conn.execute(select(usage_summaries)).all()
    return {tuple(row[:4]): row[4] for row in rows}


def test_events_record_the_department_never_the_name_by_default(state_db):
    recorder = EventRecorder(state_db, clock=Clock())
    recorder.search(ANA, "valve gasket", {"department": ["Engineering"]}, 3)
    recorder.view(Viewer.anonymous(), "pub", "Engineering")
    recorder.flush()
    search, view = events(state_db)
    assert (search["kind"], search["department"], search["user_name"]) == (
        "search",
        "Finance",
        None,
    )
    assert (search["query"], search["results"]) == ("valve gasket", 3)
    assert json.loads(search["detail"]) == {"department": ["Engineering"]}
    assert search["at"] == "2026-12-05T12:00:00Z"
    assert (view["kind"], view["department"], view["doc_id"], view["doc_department"]) == (
        "view", "", "pub", "Engineering",
    )  # fmt: skip
    assert all("ana" not in json.dumps(row) for row in events(state_db))


def test_events_record_names_only_when_turned_on(state_db):
    recorder = EventRecorder(state_db, record_names=True, clock=Clock())
    recorder.view(ANA, "pub", "Engineering", via="related")
    recorder.view(Viewer.anonymous(), "pub", "Engineering", via="others")
    recorder.flush()
    named, anonymous = events(state_db)
    assert (named["kind"], named["user_name"], named["department"]) == (
        "related_click", "ana", "Finance",
    )  # fmt: skip
    assert (anonymous["kind"], anonymous["user_name"]) == ("other_departments_click", None)


def test_events_each_kind_keeps_what_its_figure_needs(state_db):
    recorder = EventRecorder(state_db, clock=Clock())
    recorder.pack_include(ANA, "lesson-1", "Engineering", pack_id="p1")
    recorder.contribution(ANA, "c7", "submitted", "Finance", positive=True)
    recorder.action_change(ANA, "a1", "done", "lesson-1", "Engineering")
    recorder.flush()
    pack, contribution, action = events(state_db)
    assert (pack["kind"], pack["doc_id"], json.loads(pack["detail"])) == (
        "pack_include", "lesson-1", {"pack": "p1"},
    )  # fmt: skip
    assert contribution["kind"] == "contribution" and contribution["doc_id"] is None
    assert json.loads(contribution["detail"]) == {
        "contribution": "c7", "state": "submitted", "positive": True,
    }  # fmt: skip
    assert (action["kind"], action["doc_department"], json.loads(action["detail"])) == (
        "action_change", "Engineering", {"action": "a1", "status": "done"},
    )  # fmt: skip


def test_events_long_queries_are_kept_cut(state_db):
    recorder = EventRecorder(state_db, clock=Clock())
    recorder.search(ANA, "x" * 5000, {}, 0)
    recorder.flush()
    assert len(events(state_db)[0]["query"]) == 500


def record_at(recorder: EventRecorder, clock: Clock, when: str, viewer: Viewer, doc_dep: str):
    clock.moment = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)
    recorder.view(viewer, "d", doc_dep)


def test_events_prune_summarizes_and_drops_exactly_the_old_ones(state_db):
    clock = Clock()
    recorder = EventRecorder(state_db, retention_days=30, clock=clock)
    eng = Viewer(True, "eve", ("Engineering",))
    record_at(recorder, clock, "2026-09-03T10:00:00", ANA, "Engineering")
    record_at(recorder, clock, "2026-09-20T10:00:00", ANA, "Engineering")
    record_at(recorder, clock, "2026-09-21T10:00:00", eng, "Engineering")
    record_at(recorder, clock, "2026-10-01T10:00:00", ANA, "")
    record_at(recorder, clock, "2026-11-05T11:59:59", ANA, "Legal")  # 30 days + 1 s old
    record_at(recorder, clock, "2026-11-05T12:00:00", ANA, "Legal")  # exactly 30 days: kept
    recorder.search(ANA, "kept", {}, 1)
    result = recorder.prune(NOW)
    assert (result.events, result.summaries, result.cutoff) == (5, 4, "2026-11-05T12:00:00Z")
    assert summaries(state_db) == {
        ("2026-09", "view", "Finance", "Engineering"): 2,
        ("2026-09", "view", "Engineering", "Engineering"): 1,
        ("2026-10", "view", "Finance", ""): 1,
        ("2026-11", "view", "Finance", "Legal"): 1,
    }
    assert [row["at"] for row in events(state_db)] == ["2026-11-05T12:00:00Z"] * 2


def test_events_prune_adds_to_existing_summaries_and_is_idempotent(state_db):
    clock = Clock()
    recorder = EventRecorder(state_db, retention_days=10, clock=clock)
    record_at(recorder, clock, "2026-09-03T10:00:00", ANA, "Engineering")
    assert recorder.prune(NOW).events == 1
    record_at(recorder, clock, "2026-09-04T10:00:00", ANA, "Engineering")
    record_at(recorder, clock, "2026-09-05T10:00:00", ANA, "Engineering")
    assert recorder.prune(NOW).events == 2
    assert recorder.prune(NOW).events == 0
    assert summaries(state_db) == {("2026-09", "view", "Finance", "Engineering"): 3}
    assert events(state_db) == []
