"""Hostile and broken input: every parser turns it into a Problem naming the file and, where
there is one, the line and field; `parse_file` never raises and nothing is unbounded. Big
inputs are built cheaply (repeated strings, XML written straight into a zip)."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import pytest

from kb.documents.limits import default_limits
from kb.documents.parsers import parse_file
from tests.kb.documents.docx_support import docx_package, word_document

LIMITS = default_limits()
FIELDS = {
    "title": "Vendor lead times doubled",
    "type": "lesson",
    "department": "Engineering",
    "date": "2023-06-14",
}
BODY = "## Lesson\n\nQuoted lead times are estimates, not commitments.\n"


def markdown(extra: str = "", body: str = BODY, **fields: str) -> str:
    """Front matter on lines 2-5 (title, type, department, date), `extra` from line 6."""
    front = "".join(f"{name}: {value}\n" for name, value in {**FIELDS, **fields}.items())
    return f"---\n{front}{extra}---\n\n{body}"


def record(**fields) -> dict:
    return {**FIELDS, "lesson": "Quoted lead times are estimates.", **fields}


def docx_fields(**fields: str) -> tuple[tuple[str, str], ...]:
    """A title paragraph and `Field: value` lines, as a DOCX lesson starts."""
    values = {**FIELDS, **fields}
    lines = [f"{name.title()}: {value}" for name, value in values.items() if name != "title"]
    return (("Title", values["title"]), *(("Normal", line) for line in lines))


def parse(write_doc, name: str, content, limits=LIMITS):
    path = write_doc(name, content)
    return parse_file(path, path.relative_to(write_doc.root).as_posix(), limits=limits)


def assert_one_problem(result, name: str, words: str, line: int | None, field: str | None):
    [problem] = result.problems
    assert problem.path.endswith(name)
    assert words in problem.message
    assert (problem.line, problem.field, problem.severity) == (line, field, "error")


def nested_yaml(levels: int) -> str:
    return "extra: " + "[" * levels + "]" * levels + "\n"


def alias_bomb() -> str:
    """'Billion laughs': 8 levels, each alias repeated 10 times (560 bytes, 10^8 strings)."""
    lines = ['a0: &a0 "lol"']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def case(case_id: str, *values):
    return pytest.param(*values, id=case_id)


LONG = "x" * 10_001  # one more character than a field may have
EXTRA = 6  # the line of the first field after the four required ones


@pytest.mark.parametrize(
    ("content", "words", "line", "field"),
    [
        case("date-feb-30", markdown(date="2023-02-30"), "'2023-02-30'; write it as YYYY-MM-DD",
             5, "date"),
        case("date-year-0", markdown(date="0000-01-01"), "'0000-01-01'; write it as YYYY-MM-DD",
             5, "date"),
        case("date-hour-25", markdown(date="2023-01-01T25:00:00"), "as YYYY-MM-DD", 5, "date"),
        case("date-list", markdown(date="[2023-01-01]"), "'date' must be text", 5, "date"),
        case("self-alias", markdown("extra: &r [*r]\n"), "aliases (&name, *name) are not allowed",
             EXTRA, None),
        case("alias-bomb", markdown(alias_bomb()), "in front matter", EXTRA, None),
        case("anchor", markdown("a: &x 1\n"), "anchors and aliases", EXTRA, None),
        case("deep-yaml", markdown(nested_yaml(200)), "nested more than 32", EXTRA, None),
        case("int-5000-digits", markdown("n: " + "1" * 5000 + "\n"), "cannot read the value",
             EXTRA, None),
        case("unhashable-key", markdown("? [a, b]\n: 1\n"), "malformed YAML", EXTRA, None),
        case("unclosed", "---\ntitle: T\n\n## Lesson\n\nText\n", "front matter is not closed",
             1, None),
        case("front-list", "---\n- a\n---\n\n## Lesson\n\nText\n", "a YAML mapping", 2, None),
        case("title-nan", markdown(title=".nan"), "field 'title' holds NaN", 2, "title"),
        case("title-601", markdown(title="t" * 601), "title is 601 characters; a title is at most",
             2, "title"),
        case("title-1mb", markdown(title="t" * 1_000_000), "field 'title' is 1,000,007 characters; "
             "a title may have at most 500", 2, None),
        case("department-long", markdown(department=LONG), "10,001 characters; the limit is 10,000",
             4, "department"),
        case("department-map", markdown(department="{a: 1}"), "must be text, not a dict", 4,
             "department"),
        case("project-list", markdown("project: [a]\n"), "must be text", EXTRA, "project"),
        case("project-long", markdown(f"project: {LONG}\n"), "10,001", EXTRA, "project"),
        case("status-inf", markdown("status: .inf\n"), "holds infinity", EXTRA, "status"),
        case("tags-mapping-item", markdown("tags: [{a: 1}]\n"), "hold a mapping", EXTRA, "tags"),
        case("tags-nested-list", markdown("tags: [[a]]\n"), "hold a nested list", EXTRA, "tags"),
        case("tags-mapping", markdown("tags: {a: 1}\n"), "a list or text", EXTRA, "tags"),
        case("tags-201", markdown(f"tags: [{'t, ' * 200}t]\n"), "201 items; the limit is 200",
             EXTRA, "tags"),
        case("tag-501", markdown(f"tags: [{'t' * 501}]\n"), "an item of field 'tags' is 501",
             EXTRA, "tags"),
        case("authors-nan", markdown("authors: [A, .nan]\n"), "holds NaN", EXTRA, "authors"),
        case("participants-long", markdown(f"participants: {LONG}\n"), "10,001", EXTRA,
             "participants"),
        case("extra-long", markdown(f"budget: {LONG}\n"), "'budget' is 10,001", EXTRA, "budget"),
        case("extra-nan", markdown("budget: {q1: .nan}\n"), "holds NaN", EXTRA, "budget"),
        case("extra-201-fields", markdown("".join(f"f{i}: v\n" for i in range(201))),
             "201 fields", None, None),
        case("id-with-slash", markdown("id: a/b\n"), "id 'a/b' may use only", EXTRA, "id"),
        case("type-long", markdown(type="m" * 5000), "unknown type 'mmm", 3, "type"),
        case("sections-201", markdown(body="## Part\n\nText.\n\n" * 201), "201 sections; the",
             None, "sections"),
        case("heading-501", markdown(body=f"## {'h' * 501}\n\nText.\n"), "heading is 501", None,
             "sections"),
        # A heading line with 4,000 spaces inside: the old heading regex took 86 s on it.
        case("heading-spaces", markdown(body=f"## a{' ' * 4000}b\n\nText.\n"),
             "heading is 4,002 characters", None, "sections"),
        case("section-mapping", markdown("sections: {Lesson: {a: 1}}\n", body=""),
             "section 'Lesson' must be text", EXTRA, "sections"),
        case("empty-body", markdown(body="<!-- a prompt -->\n"), "empty body", None, "sections"),
    ],
)  # fmt: skip
def test_parsers_hostile_markdown_is_one_problem(write_doc, content, words, line, field):
    result = parse(write_doc, "hostile.md", content)
    assert result.documents == []
    assert_one_problem(result, "hostile.md", words, line, field)


@pytest.mark.parametrize(
    ("name", "content", "bounds", "words"),
    [
        (
            "body.md",
            markdown(body="## Lesson\n\n" + "word " * 500),
            {"max_document_chars": 2_000},
            "document text is 2,512 characters; the limit is 2,000",
        ),
        (
            "sections.json",
            json.dumps(record(lesson="w " * 600, risks="r " * 600)),
            {"max_document_chars": 2_000},
            "more than 2,000 characters",
        ),
        (
            "paragraphs.md",
            markdown(body="## Lesson\n\n" + "A paragraph.\n\n" * 51),
            {"max_paragraphs": 50},
            "more than 50 paragraphs",
        ),
        (
            "sections.md",
            markdown(body="".join(f"## Part {i}\n\nText.\n\n" for i in range(4))),
            {"max_sections": 3},
            "4 sections; the limit is 3",
        ),
    ],
    ids=["markdown-body-chars", "document-chars", "paragraphs", "sections"],
)
def test_parsers_hostile_document_bounds(write_doc, name, content, bounds, words):
    result = parse(write_doc, name, content, limits=replace(LIMITS, **bounds))
    assert result.documents == []
    [problem] = result.problems
    assert words in problem.message


def test_parsers_hostile_front_matter_may_not_outgrow_the_document_limit(write_doc):
    content = markdown(title="x" * 3_000)
    result = parse(write_doc, "t.md", content, limits=replace(LIMITS, max_document_chars=2_000))
    assert_one_problem(result, "t.md", "(the front matter is 3,062, at most 2,000)", 2, None)


def test_parsers_hostile_unclosed_comments_are_read_in_linear_time(write_doc):
    # `<!--.*?-->` rescanned the rest of the text from every opening: 4.5 s for 20,000.
    [doc] = parse(
        write_doc, "c.md", markdown(body="## Lesson\n\nText <!--" + "<!--" * 20_000)
    ).documents
    assert doc.section("lesson").text.startswith("Text <!--<!--")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8"])
def test_parsers_hostile_text_with_a_byte_order_mark_is_decoded(write_doc, encoding):
    data = "\ufeff".encode(encoding) + markdown(title="Café").encode(encoding)
    [doc] = parse(write_doc, f"{encoding}.md", data).documents
    assert doc.title == "Café"


@pytest.mark.parametrize(
    ("data", "words", "line"),
    [
        (b"\xff\xfe" + "---\ntitle: x\n".encode("utf-16-le") + b"\x00\xd8\x41\x00", "UTF-16", 3),
        (markdown().encode() + b"\n\xe9t\xe9", "not valid UTF-8: byte 0xe9", 12),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", None),
    ],
    ids=["bad-utf-16", "latin-1", "png"],
)
def test_parsers_hostile_bytes_that_are_not_text(write_doc, data, words, line):
    result = parse(write_doc, "bytes.md", data)
    assert_one_problem(result, "bytes.md", words, line, None)


CSV_HEADER = "title,type,department,date,lesson\n"


@pytest.mark.parametrize(
    ("name", "content", "words", "line", "field"),
    [
        case("nested-200k", "deep.json", "[" * 200_000 + "]" * 200_000, "nested more than 32", 1,
             None),
        case("nested-object", "deep.json", '{"a": ' * 40 + "1" + "}" * 40, "nested more", 1, None),
        case("nan", "n.json", '{\n"title": "T",\n"budget": NaN\n}', "NaN is not a JSON value",
             3, "budget"),
        case("infinity", "i.json", '{"a": "x",\n\n"b": [{"c": -Infinity}]}',
             "-Infinity is not a JSON value", 3, "b"),
        case("float-overflow", "f.json", json.dumps(record(title=1)).replace("1,", "1e999,", 1),
             "field 'title' holds infinity", None, "title"),
        case("date-feb-30", "d.json", json.dumps(record(date="2023-02-30")), "as YYYY-MM-DD",
             None, "date"),
        case("int-5000-digits", "i.json", '{"n": ' + "7" * 5000 + "}", "malformed JSON", 1, None),
        case("title-1mb", "t.json", json.dumps(record(title="t" * 1_000_000)),
             "title is 1,000,000 characters; a title is at most 500", None, "title"),
        case("extra-list", "x.json", json.dumps(record(budget=[[[["q"]]]] * 3000)),
             "'budget' is 33,000 characters as JSON", None, "budget"),
        case("sections-number", "s.json", json.dumps(record(sections=5)),
             "each entry of 'sections'", None, "sections"),
        case("section-mapping", "s.json", json.dumps(record(lesson={"a": 1})),
             "section 'Lesson' must be text", None, "sections"),
        case("scalar", "n.json", "42", "an object or an array of objects", None, None),
        case("empty-array", "e.json", " [ ] ", "the JSON array holds no records", 1, None),
        case("extra-data", "a.json", "[]\n[]", "extra data after the array", 1, None),
        case("jsonl-nan", "n.jsonl", '{"title": NaN}', "NaN is not a JSON value", 1, "title"),
        case("jsonl-deep", "d.jsonl", "[" * 50_000, "nested more than 32", 1, None),
        case("jsonl-empty", "e.jsonl", "\n\n", "empty file", None, None),
        case("csv-header-only", "h.csv", CSV_HEADER, "header row but no rows", 1, None),
        case("csv-empty", "e.csv", "", "empty file", None, None),
        case("csv-tags-201", "t.csv", CSV_HEADER.replace("\n", ",tags\n")
             + "T,lesson,E,2023-01-01,L," + ";".join(["t"] * 201), "201 items", 2, "tags"),
        case("csv-date-feb-30", "d.csv", CSV_HEADER + "T,lesson,E,2023-02-30,L\n",
             "'2023-02-30'; write it as YYYY-MM-DD", 2, "date"),
    ],
)  # fmt: skip
def test_parsers_hostile_json_and_csv_are_one_problem(write_doc, name, content, words, line, field):
    result = parse(write_doc, name, content)
    assert result.documents == []
    assert_one_problem(result, name, words, line, field)


def test_parsers_hostile_json_brackets_in_strings_are_not_nesting(write_doc):
    [doc] = parse(write_doc, "s.json", json.dumps(record(title="[" * 100 + "{" * 100))).documents
    assert doc.title.startswith("[[[")


def test_parsers_hostile_json_array_keeps_good_records_and_names_lines(write_doc):
    items = [record(), record(date="2023-02-30"), [1], record(title=float("nan")), record()]
    text = "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]"
    result = parse(write_doc, "many.json", text)
    assert [d.id for d in result.documents] == ["many-row-1", "many-row-5"]
    assert [d.source_line for d in result.documents] == [2, 6]
    assert [(p.line, p.field) for p in result.problems] == [(3, "date"), (4, None), (5, "title")]
    assert "NaN is not a JSON value" in result.problems[2].message


@pytest.mark.parametrize(
    ("broken", "words"),
    [('{"title": "T",,}\n]', "malformed JSON"), ("]", "',' before the closing ']'")],
    ids=["bad-element", "trailing-comma"],
)
def test_parsers_hostile_json_array_stops_at_broken_syntax_keeping_those_before(
    write_doc, broken, words
):
    text = "[\n" + json.dumps(record()) + ",\n" + broken
    result = parse(write_doc, "broken.json", text)
    assert len(result.documents) == 1
    assert_one_problem(result, "broken.json", words, 3, None)


def test_parsers_hostile_jsonl_keeps_good_lines_beside_bad_ones(write_doc):
    lines = [
        json.dumps(record(id="a1")),
        '{"title": NaN}',
        "[" * 100 + "]" * 100,
        json.dumps(record(id="a2", tags=[{"a": 1}])),
        json.dumps(record(id="a3", title="\u2028 split by str.splitlines")),
    ]
    result = parse(write_doc, "log.jsonl", "\n".join(lines))
    assert [d.id for d in result.documents] == ["a1", "a3"]
    assert [(p.line, p.field) for p in result.problems] == [(2, "title"), (3, None), (4, "tags")]


def test_parsers_hostile_csv_keeps_good_rows_beside_bad_ones(write_doc):
    rows = ["T1,lesson,E,2023-01-01,L", "T2,lesson,E,0000-01-01,L", "T3,lesson,E,2023-01-01,L"]
    content = CSV_HEADER + "\n".join(rows) + "\n"
    result = parse(write_doc, "rows.csv", content)
    assert [d.title for d in result.documents] == ["T1", "T3"]
    assert [(p.line, p.field) for p in result.problems] == [(3, "date")]


def test_parsers_hostile_csv_cell_over_the_csv_limit_keeps_rows_before(write_doc):
    content = CSV_HEADER + "T,lesson,E,2023-01-01,L\nU,lesson,E,2023-01-01,"
    result = parse(write_doc, "huge.csv", content + "x" * 200_000 + "\n")
    assert [d.title for d in result.documents] == ["T"]
    assert_one_problem(result, "huge.csv", "malformed CSV: field larger than field limit", 3, None)


def test_parsers_hostile_problems_of_one_file_are_capped(write_doc):
    result = parse(write_doc, "bad.jsonl", "{}\n" * 150)
    assert len(result.problems) == 101
    assert result.problems[-1].message == "50 more problems in this file are not listed"
    assert result.problems[-1].is_error


@pytest.fixture
def zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return buffer.getvalue()


def paragraphs_xml(count: int, text: str = "a") -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * count


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04 but not a zip", "not a DOCX file"),
        (docx_package("", document_xml="<w:document"), "damaged DOCX file"),
        # 295,000 tiny paragraphs in 30 KB: reading stops at the 20,001st.
        (docx_package(paragraphs_xml(295_000)), "more than 20,000 paragraphs"),
        (docx_package(paragraphs_xml(1, "x" * 1_000_001)), "more than 1,000,000 characters"),
        (docx_package("<w:tbl>" + "<w:tr><w:tc/></w:tr>" * 20_001 + "</w:tbl>"), "20,000 cells"),
    ],
    ids=["broken-zip", "broken-xml", "paragraph-bomb", "text-bomb", "cell-bomb"],
)
def test_parsers_hostile_docx_is_one_problem(write_doc, data, words):
    result = parse(write_doc, "bomb.docx", data)
    assert result.documents == []
    assert_one_problem(result, "bomb.docx", words, None, None)


def test_parsers_hostile_docx_zip_bomb_is_refused_before_it_is_read(write_doc):
    # 64 bytes of XML are allowed per character of text: 64,000 for 1,000 characters.
    data = docx_package(paragraphs_xml(1, " " * 70_000))
    result = parse(write_doc, "zip.docx", data, limits=replace(LIMITS, max_document_chars=1_000))
    assert_one_problem(result, "zip.docx", "unpacks to 70,", None, None)


def test_parsers_hostile_docx_zip_without_a_document(write_doc, zip_without_document):
    result = parse(write_doc, "hello.docx", zip_without_document)
    assert_one_problem(result, "hello.docx", "no main document part", None, None)


@pytest.mark.parametrize(
    ("fields", "words", "field"),
    [
        ({"date": "2023-02-30"}, "'2023-02-30'; write it as YYYY-MM-DD", "date"),
        ({"tags": ";".join(["t"] * 201)}, "201 items", "tags"),
        ({"department": "d" * 10_001}, "10,001 characters", "department"),
    ],
    ids=["date-feb-30", "tags-201", "department-long"],
)
def test_parsers_hostile_docx_fields(write_doc, fields, words, field):
    data = word_document(*docx_fields(**fields), ("Heading 2", "Lesson"), ("Normal", "Text."))
    result = parse(write_doc, "fields.docx", data)
    assert_one_problem(result, "fields.docx", words, None, field)


def test_parsers_hostile_docx_sections_are_bounded(write_doc):
    headings = [p for i in range(201) for p in (("Heading 2", f"Part {i}"), ("Normal", "Text."))]
    result = parse(write_doc, "parts.docx", word_document(*docx_fields(), *headings))
    assert_one_problem(result, "parts.docx", "201 sections", None, "sections")
