import pytest

from kb.documents.parsers import parse_file
from kb.documents.schema import DOC_TYPES, SECTION_SPECS
from kb.documents.templates import new_document


@pytest.mark.parametrize("doc_type", list(DOC_TYPES))
def test_templates_new_document_lists_the_type_sections(doc_type):
    text = new_document(doc_type)
    for key in DOC_TYPES[doc_type].sections:
        assert f"## {SECTION_SPECS[key].heading}" in text


def test_templates_unfilled_template_does_not_validate(tmp_path):
    path = tmp_path / "new.md"
    path.write_text(new_document("lesson"))
    result = parse_file(path, "new.md")
    assert result.documents == []


def test_templates_filled_template_validates(tmp_path):
    path = tmp_path / "new.md"
    text = new_document("lesson", title="Real title", department="Legal")
    path.write_text(text.replace("## Lesson\n", "## Lesson\n\nSign the DPA first.\n"))
    [doc] = parse_file(path, "new.md").documents
    assert [s.key for s in doc.sections] == ["lesson"]
