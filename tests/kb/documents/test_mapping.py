import pytest

from kb.documents.mapping import Mapping, MappingError


def test_mapping_first_non_empty_source_wins_for_scalars():
    mapping = Mapping.from_dict({"fields": {"date": ["start_time", "published", "fetched"]}})
    assert (
        mapping.apply({"start_time": "", "published": "2020-01-02", "fetched": "x"})["date"]
        == "2020-01-02"
    )


def test_mapping_list_targets_combine_sources_without_repeats():
    mapping = Mapping.from_dict({"fields": {"tags": ["categories", "keywords"]}})
    out = mapping.apply({"categories": ["cloud"], "keywords": ["dns", "cloud"]})
    assert out["tags"] == ["cloud", "dns"]


def test_mapping_templates_fill_in_source_fields():
    mapping = Mapping.from_dict(
        {
            "fields": {
                "id": "llis-{lesson_number}",
                "title": ["title", "{company} {product} incident"],
            }
        }
    )
    out = mapping.apply({"lesson_number": "42", "company": "Valve", "product": ""})
    assert out["id"] == "llis-42"
    assert out["title"] == "Valve incident"


def test_mapping_drop_values_and_transforms():
    mapping = Mapping.from_dict(
        {"fields": {"department": "org", "phase": "p", "tags": ["topics"]},
         "transforms": {"department": "upper", "phase": "unescape"},
         "drop_values": ["None"]}
    )  # fmt: skip
    out = mapping.apply({"org": "ksc", "p": "Implementation &raquo; Phase D", "topics": ["None"]})
    assert out["department"] == "KSC"
    assert out["phase"] == "Implementation » Phase D"
    assert out["tags"] == []


def test_mapping_defaults_fill_only_empty_fields_and_are_recorded():
    mapping = Mapping.from_dict({"type": "lesson", "defaults": {"date": "2000-01-01"}})
    assert mapping.apply({"date": "2010-05-05"})["date"] == "2010-05-05"
    out = mapping.apply({})
    assert (out["type"], out["date"]) == ("lesson", "2000-01-01")
    assert "date" in out["defaulted_fields"]


def test_mapping_unmapped_source_fields_are_kept():
    out = Mapping.from_dict({"fields": {"title": "name"}}).apply({"name": "T", "product": "P"})
    assert out == {"title": "T", "product": "P"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"feilds": {}}, "unknown keys"),
        ({"sections": {"moral": "x"}}, "sections.moral"),
        ({"transforms": {"title": "shout"}}, "unknown transform"),
    ],
)
def test_mapping_mistakes_are_named(data, message):
    with pytest.raises(MappingError, match=message):
        Mapping.from_dict(data)


def test_mapping_load_reports_bad_yaml(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("fields: [unclosed\n")
    with pytest.raises(MappingError, match="m.yaml"):
        Mapping.load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "fields: &f {title: name}\ndefaults: *f\n",
            r"m\.yaml: .*aliases.* are not allowed \(line 1\)",
        ),
        ("fields: " + "[" * 40 + "]" * 40 + "\n", r"m\.yaml: .*nested more than 32 .*\(line 1\)"),
        ("type: lesson\ndefaults: {date: 2023-02-30}\n", None),
    ],
    ids=["alias", "deep", "impossible-date"],
)
def test_mapping_load_uses_the_bounded_yaml_loader(tmp_path, text, message):
    path = tmp_path / "m.yaml"
    path.write_text(text)
    if message is None:  # kept as the text written; the document's date check names it
        assert Mapping.load(path).defaults["date"] == "2023-02-30"
        return
    with pytest.raises(MappingError, match=message):
        Mapping.load(path)


@pytest.mark.parametrize("sections", [5, "text", None])
def test_mapping_apply_takes_any_sections_value(sections):
    out = Mapping().apply({"title": "T", "sections": sections})
    assert out["title"] == "T"


def test_mapping_value_map_transform_leaves_unhashable_values():
    mapping = Mapping.from_dict({"transforms": {"type": {"retro": "retrospective"}}})
    assert mapping.apply({"type": ["retro"]})["type"] == ["retrospective"]
    assert mapping.apply({"type": {"a": 1}})["type"] == {"a": 1}


def test_mapping_defaults_set_the_sensitivity_of_a_whole_import():
    from kb.documents.records import build_document

    mapping = Mapping.from_dict({"defaults": {"sensitivity": "confidential"}})
    row = {"title": "Close slipped", "type": "lesson", "department": "Finance",
           "date": "2024-01-12", "sections": {"lesson": "Book accruals early."}}  # fmt: skip
    doc, _ = build_document(mapping.apply(row), "export.csv", "a")
    assert doc.sensitivity == "restricted"
    declared, _ = build_document(mapping.apply({**row, "sensitivity": "public"}), "e.csv", "b")
    assert declared.sensitivity == "public"
