import io
import json
from dataclasses import replace

import pytest

from kb.documents.limits import default_limits
from kb.documents.mapping import Mapping
from kb.documents.parsers import parse_file
from tests.conftest import markdown_doc


def parse(write_doc, name, content, **kwargs):
    path = write_doc(name, content)
    return parse_file(path, path.relative_to(write_doc.root).as_posix(), **kwargs)


def test_parsers_markdown_front_matter_and_sections(write_doc):
    result = parse(write_doc, "eng/vendor.md", markdown_doc(extra_front="tags: [vendors, racks]\n"))
    [doc] = result.documents
    assert doc.id == "eng-vendor"
    assert doc.title == "Vendor lead times doubled"
    assert doc.tags == ["vendors", "racks"]
    assert [s.key for s in doc.sections] == ["what_happened", "lesson"]
    assert result.problems == []


def test_parsers_markdown_text_before_headings_is_the_summary(write_doc):
    content = markdown_doc(sections={"Lesson": "L"}).replace(
        "## Lesson", "Short summary.\n\n## Lesson"
    )
    [doc] = parse(write_doc, "a.md", content).documents
    assert doc.sections[0].key == "summary"
    assert doc.sections[0].text == "Short summary."


def test_parsers_markdown_ignores_headings_in_code_and_template_comments(write_doc):
    text = "<!-- prompt -->\n```\n## not a heading\n```"
    [doc] = parse(write_doc, "a.md", markdown_doc(sections={"Lesson": text})).documents
    assert [s.key for s in doc.sections] == ["lesson"]
    assert "prompt" not in doc.sections[0].text


def test_parsers_markdown_malformed_yaml_names_the_line(write_doc):
    content = "---\ntitle: ok\ntype: [unclosed\ndepartment: x\n---\n\n## Lesson\n\nText\n"
    result = parse(write_doc, "bad.md", content)
    assert result.documents == []
    [problem] = result.problems
    assert "malformed YAML" in problem.message
    assert problem.line in (3, 4, 5)


def test_parsers_json_object_and_array(write_doc):
    item = {"title": "T", "type": "lesson", "department": "HR", "date": "2021-01-01",
            "lesson": "Use a buddy.", "sections": {"Recommendation": "Pair new hires."}}  # fmt: skip
    [doc] = parse(write_doc, "one.json", json.dumps(item)).documents
    assert [s.key for s in doc.sections] == ["recommendation", "lesson"]
    result = parse(write_doc, "many.json", json.dumps([item, {**item, "title": "U"}]))
    assert [d.id for d in result.documents] == ["many-row-1", "many-row-2"]


def test_parsers_jsonl_bad_line_does_not_stop_good_lines(write_doc):
    good = {"id": "a1", "title": "T", "type": "lesson", "department": "HR", "date": "2021-01-01",
            "sections": {"lesson": "x"}}  # fmt: skip
    lines = [json.dumps(good), "{not json", json.dumps({**good, "id": "a2", "date": "someday"})]
    result = parse(write_doc, "log.jsonl", "\n".join(lines))
    assert [d.id for d in result.documents] == ["a1"]
    assert [(p.line, p.field) for p in result.errors] == [(2, None), (3, "date")]


def test_parsers_csv_columns_become_fields_and_sections(write_doc):
    content = (
        "id,title,type,department,date,tags,context,Lesson learned\n"
        'c1,Renewals missed,lesson,Legal,2022-09-01,contracts;renewals,"Ctx, with comma",Track them\n'
    )
    [doc] = parse(write_doc, "legal.csv", content).documents
    assert doc.id == "c1"
    assert doc.tags == ["contracts", "renewals"]
    assert [(s.key, s.text) for s in doc.sections] == [
        ("context", "Ctx, with comma"),
        ("lesson", "Track them"),
    ]


def test_parsers_csv_bad_row_reports_its_line(write_doc):
    content = "title,type,department,date,lesson\nA,lesson,HR,2020-01-01,x\nB,lesson,HR,,y\n"
    result = parse(write_doc, "rows.csv", content)
    assert [d.title for d in result.documents] == ["A"]
    assert [(p.line, p.field) for p in result.errors] == [(3, "date")]


def test_parsers_docx_headings_become_sections(write_doc):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Buddy programme retro", style="Title")
    for line in (
        "Type: retrospective",
        "Department: HR",
        "Date: 2023-05-02",
        "Tags: onboarding; buddies",
    ):
        document.add_paragraph(line)
    document.add_heading("What went well", level=2)
    document.add_paragraph("New hires felt welcome.")
    document.add_heading("Actions", level=2)
    document.add_paragraph("[ ] Train buddies (owner: Ana, due: 2023-06-01)", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    [doc] = parse(write_doc, "hr/buddy.docx", buffer.getvalue()).documents
    assert (doc.title, doc.type, doc.department) == ("Buddy programme retro", "retrospective", "HR")
    assert doc.tags == ["onboarding", "buddies"]
    assert [s.key for s in doc.sections] == ["went_well", "actions"]
    assert doc.section("actions").text.startswith("- [ ] Train buddies")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.docx", b"this is not a zip", "not a DOCX"),
        ("latin1.md", "---\ntitle: Caf\xe9\n---\n".encode("latin-1"), "not valid UTF-8"),
        ("blob.md", b"\x00\x01\x02binary", "binary file"),
        ("notes.txt", "plain", "unsupported file type"),
        ("empty.jsonl", "", "empty file"),
    ],
)
def test_parsers_bad_files_get_a_clear_problem(write_doc, name, content, message):
    result = parse(write_doc, name, content)
    assert result.documents == []
    assert message in result.problems[0].message
    assert result.problems[0].path.endswith(name)


def test_parsers_oversized_file_is_rejected(write_doc):
    result = parse(
        write_doc, "big.md", markdown_doc(), limits=replace(default_limits(), max_file_bytes=50)
    )
    assert "limit is 50" in result.errors[0].message


def test_parsers_mapping_renames_fields(write_doc):
    mapping = Mapping.from_dict(
        {"type": "lesson", "fields": {"department": "org", "title": "name"},
         "sections": {"lesson": "lesson_text"}, "transforms": {"department": "upper"}}
    )  # fmt: skip
    line = json.dumps({"name": "N", "org": "jsc", "date": "1991-04-09", "lesson_text": "L"})
    [doc] = parse(write_doc, "x.jsonl", line, mapping=mapping).documents
    assert (doc.title, doc.department, doc.type) == ("N", "JSC", "lesson")
    assert doc.section("lesson").text == "L"


def test_parsers_docx_core_properties_links_and_breaks(write_doc):
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml

    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.keywords = "Racks arrived late", "Ana Lima", "vendors, racks"
    for line in ("Type: lesson", "Department: Facilities", "Date: 2023-05-02"):
        document.add_paragraph(line)
    document.add_heading("Lesson", level=2)
    paragraph = document.add_paragraph("Ask for\tdates")
    paragraph.runs[0].add_break()
    paragraph.add_run("in writing, see ")
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    link = f'<w:hyperlink xmlns:w="{namespace}"><w:r><w:t>the policy</w:t></w:r></w:hyperlink>'
    paragraph._p.append(parse_xml(link))
    buffer = io.BytesIO()
    document.save(buffer)
    [doc] = parse(write_doc, "racks.docx", buffer.getvalue()).documents
    assert (doc.title, doc.authors, doc.tags) == (
        "Racks arrived late",
        ["Ana Lima"],
        ["vendors", "racks"],
    )
    assert doc.section("lesson").text == "Ask for\tdates\nin writing, see the policy"
