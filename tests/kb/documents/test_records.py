import datetime as dt
from dataclasses import replace

import pytest

from kb.documents.limits import default_limits
from kb.documents.records import build_document, default_id_for, parse_date
from kb.problems import DocumentError


def record(**overrides):
    base = {
        "title": "Close slipped two days",
        "type": "retrospective",
        "department": "Finance",
        "date": "2024-01-12",
        "sections": {"What went well": "Accruals were on time.", "Actions": "- [ ] Fix it"},
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-12", dt.date(2024, 1, 12)),
        ("2024-03", dt.date(2024, 3, 1)),
        ("2012-06-13T21:16:00Z", dt.date(2012, 6, 13)),
        ("2012-12-22T12:15:00-08:00", dt.date(2012, 12, 22)),
        ("June 13, 2012", dt.date(2012, 6, 13)),
        (dt.datetime(2020, 5, 1, 9, 30), dt.date(2020, 5, 1)),
    ],
)
def test_records_parse_date_accepts_common_forms(raw, expected):
    assert parse_date(raw) == expected


def test_records_parse_date_names_the_bad_value():
    with pytest.raises(ValueError, match="'last tuesday'"):
        parse_date("last tuesday")


@pytest.mark.parametrize("missing", ["title", "type", "department", "date"])
def test_records_missing_required_field_is_named(missing):
    with pytest.raises(DocumentError) as err:
        build_document(record(**{missing: ""}), "f.md", "f")
    assert err.value.field == missing
    assert missing in err.value.message


def test_records_unknown_type_lists_the_known_types():
    with pytest.raises(DocumentError, match="lesson, retrospective, meeting-notes"):
        build_document(record(type="memo"), "f.md", "f")


def test_records_type_aliases_are_normalized():
    doc, _ = build_document(record(type="Post-mortem"), "f.md", "f")
    assert doc.type == "retrospective"


def test_records_empty_body_is_rejected():
    with pytest.raises(DocumentError, match="empty body"):
        build_document(record(sections={"Lessons": "   "}), "f.md", "f")


def test_records_headings_map_to_canonical_sections():
    doc, warnings = build_document(
        record(sections={"What didn't go well": "x", "Action items": "y", "Odd heading": "z"}),
        "f.md",
        "f",
    )
    assert [s.key for s in doc.sections] == ["did_not_go_well", "actions", "odd_heading"]
    assert doc.sections[0].heading == "What did not go well"
    assert [w.severity for w in warnings] == ["warning"]
    assert "Odd heading" in warnings[0].message


def test_records_lists_accept_strings_and_lists():
    doc, _ = build_document(
        record(tags="close; accruals, GL", participants=["Ana", "Ana"]), "f", "f"
    )
    assert doc.tags == ["close", "accruals", "GL"]
    assert doc.participants == ["Ana"]


def test_records_given_id_wins_and_bad_ids_are_refused():
    doc, _ = build_document(record(id="fin-001"), "f.md", "derived")
    assert doc.id == "fin-001"
    with pytest.raises(DocumentError) as err:
        build_document(record(id="has space/slash"), "f.md", "derived")
    assert err.value.field == "id"


def test_records_unknown_fields_are_kept_as_extra():
    doc, _ = build_document(record(budget_code="FIN-7"), "f.md", "f")
    assert doc.extra == {"budget_code": "FIN-7"}


def test_records_template_placeholders_are_refused():
    with pytest.raises(DocumentError, match="placeholder"):
        build_document(record(department="TODO: your department"), "f.md", "f")


@pytest.mark.parametrize(
    ("path", "row", "expected"),
    [
        ("finance/2023-close.md", None, "finance-2023-close"),
        ("Ops Log.jsonl", 3, "ops-log-row-3"),
    ],
)
def test_records_default_id_is_stable_from_path(path, row, expected):
    assert default_id_for(path, row) == expected


@pytest.mark.parametrize("raw", ["0000-01-01", "2023-02-30", "2023-13", "0000", "9" * 100])
def test_records_parse_date_impossible_dates_name_the_value(raw):
    with pytest.raises(ValueError, match="write it as YYYY-MM-DD") as caught:
        parse_date(raw)
    assert repr(raw[:60])[:-1] in str(caught.value)


def test_records_extra_values_are_json_ready():
    extra = {"when": dt.date(2024, 1, 2), "nested": {1: [dt.date(2024, 1, 3)]}}
    doc, _ = build_document(record(**extra), "f.md", "f")
    assert doc.extra == {"when": "2024-01-02", "nested": {"1": ["2024-01-03"]}}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"deep": [[[[["x"]]]]]}, "deep", "nested too deeply"),
        ({"ratio": {"q": [float("nan")]}}, "ratio", "holds NaN"),
        ({"score": float("-inf")}, "score", "holds -infinity"),
        ({"sections": {"Lesson": float("nan")}}, "sections", "holds NaN"),
        ({"sections": {"Lesson": ["ok", {"a": 1}]}}, "sections", "not hold a mapping"),
    ],
)
def test_records_values_are_refused_naming_the_field(fields, field, words):
    limits = replace(default_limits(), max_depth=3)
    with pytest.raises(DocumentError, match=words) as caught:
        build_document(record(**fields), "f.md", "f", None, limits)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("raw", "level"),
    [("public", "public"), ("Internal", "internal"), ("restricted", "restricted"),
     ("confidential", "restricted")],
)  # fmt: skip
def test_records_sensitivity_is_one_of_the_levels(raw, level):
    doc, _ = build_document(record(sensitivity=raw), "a.json", "a")
    assert doc.sensitivity == level


def test_records_missing_sensitivity_is_left_to_the_default_setting():
    doc, _ = build_document(record(), "a.json", "a")
    assert doc.sensitivity == ""


def test_records_unknown_sensitivity_is_refused_naming_the_field():
    with pytest.raises(DocumentError, match="unknown sensitivity 'secret'") as caught:
        build_document(record(sensitivity="secret"), "a.json", "a")
    assert caught.value.field == "sensitivity"


def test_records_audience_is_kept_as_a_list():
    doc, _ = build_document(record(audience="Legal; carol"), "a.json", "a")
    assert doc.extra["audience"] == ["Legal", "carol"]
