import json

from typer.testing import CliRunner

from kb.cli import app
from tests.conftest import markdown_doc

runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(
        app,
        [str(a) for a in args],
        env={"KB_EMBEDDER": "fake", "KB_GLOSSARY_MINING": "0", **(env or {})},
    )


def test_cli_new_validate_index_search_round_trip(tmp_path):
    doc = tmp_path / "docs" / "retro.md"
    assert invoke("new", "retrospective", doc).exit_code == 0
    failed = invoke("validate", doc)
    assert failed.exit_code == 1
    assert "placeholder" in failed.output
    doc.write_text(markdown_doc("Close slipped", "retrospective", "Finance",
                   sections={"What did not go well": "Accruals arrived late from payroll."}))  # fmt: skip
    assert invoke("validate", doc).exit_code == 0
    kb_dir = tmp_path / "kb"
    indexed = invoke("index", tmp_path / "docs", "--kb", kb_dir)
    assert indexed.exit_code == 0, indexed.output
    assert "Indexed 1 documents from 1 files" in indexed.output
    result = invoke("search", "accruals late", "--kb", kb_dir, "--json")
    hits = json.loads(result.output)
    assert [h["id"] for h in hits] == ["retro"]
    assert hits[0]["section"] == "What did not go well"


def test_cli_new_refuses_to_overwrite(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("mine")
    result = invoke("new", "lesson", doc)
    assert result.exit_code == 2
    assert doc.read_text() == "mine"


def test_cli_new_rejects_unknown_type(tmp_path):
    result = invoke("new", "memo", tmp_path / "a.md")
    assert result.exit_code == 2
    assert "lesson, retrospective, meeting-notes" in result.output


def test_cli_validate_reports_each_broken_file(write_doc):
    write_doc("good.md", markdown_doc())
    write_doc("bad.md", markdown_doc(date="nope"))
    result = invoke("validate", write_doc.root, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["documents"] == 1
    [problem] = report["problems"]
    assert problem["path"].endswith("bad.md") and problem["field"] == "date"


def test_cli_index_summary_lists_rejections(write_doc, tmp_path):
    write_doc("good.md", markdown_doc())
    write_doc("bad.md", markdown_doc(doc_type="memo"))
    result = invoke("index", write_doc.root, "--kb", tmp_path / "kb")
    assert result.exit_code == 0
    assert "Rejected: 1 problems in 1 files" in result.output
    assert "bad.md:3 [type]" in result.output  # the line of the field in the front matter
    strict = invoke("index", write_doc.root, "--kb", tmp_path / "kb", "--strict")
    assert strict.exit_code == 1


def test_cli_index_with_another_model_rebuilds_and_says_why(write_doc, tmp_path):
    write_doc("good.md", markdown_doc())
    assert invoke("index", write_doc.root, "--kb", tmp_path / "kb").exit_code == 0
    result = invoke("index", write_doc.root, "--kb", tmp_path / "kb", "--model", "fake-other")
    assert result.exit_code == 0
    assert "Rebuilt:" in result.output and "'fake-256'" in result.output
    assert "'fake-other'" in result.output and "0 reused" in result.output


def test_cli_search_without_index_says_so(tmp_path):
    result = invoke("search", "anything", "--kb", tmp_path / "missing")
    assert result.exit_code == 1
    assert "no index at" in result.output and "kb index" in result.output


def test_cli_search_modes_filters_and_related(write_doc, tmp_path):
    write_doc(
        "eng/a.md",
        markdown_doc("RCA of the outage", sections={"Lesson": "The RCA found stale DNS."}),
    )
    write_doc(
        "fin/b.md",
        markdown_doc(
            "Accruals", department="Finance", sections={"Lesson": "DNS vendor invoices were late."}
        ),
    )
    kb_dir = tmp_path / "kb"
    assert invoke("index", write_doc.root, "--kb", kb_dir).exit_code == 0
    keyword = json.loads(
        invoke("search", "RCA", "--kb", kb_dir, "--mode", "keyword", "--json").output
    )
    assert [h["id"] for h in keyword] == ["eng-a"]
    faceted = json.loads(invoke("search", "DNS", "--kb", kb_dir, "--facets", "--json").output)
    assert {f["value"]: f["count"] for f in faceted["facets"]["department"]} == {
        "Engineering": 1,
        "Finance": 1,
    }
    only = json.loads(
        invoke("search", "DNS", "--kb", kb_dir, "--department", "Finance", "--json").output
    )
    assert [h["id"] for h in only] == ["fin-b"]
    bad = invoke("search", "DNS", "--kb", kb_dir, "--since", "yesterday")
    assert bad.exit_code == 2 and "--since" in bad.output
    related = json.loads(invoke("related", "eng-a", "--kb", kb_dir, "--json").output)
    assert [r["id"] for r in related] == ["fin-b"]
    assert invoke("related", "nope", "--kb", kb_dir).exit_code == 1


def test_cli_search_pages_and_browses_without_query(write_doc, tmp_path):
    for i in range(5):
        text = f"The vendor delivered rack {i} late; the delay cost a week."
        write_doc(f"eng/d{i}.md", markdown_doc(f"Late rack {i}", date=f"2023-0{i + 1}-01",
                                              sections={"Lesson": text}))  # fmt: skip
    kb_dir = tmp_path / "kb"
    assert invoke("index", write_doc.root, "--kb", kb_dir).exit_code == 0
    pages = [
        json.loads(
            invoke("search", "vendor delay", "--kb", kb_dir, "--k", 2, "--page", n, "--json").output
        )  # fmt: skip
        for n in (1, 2, 3)
    ]
    ids = [hit["id"] for page in pages for hit in page]
    assert len(ids) == len(set(ids)) == 5
    shown = invoke("search", "vendor delay", "--kb", kb_dir, "--k", 2, "--page", 2).output
    assert "5 documents match" in shown and "(page 2 of 3)" in shown and " 3. Late rack" in shown
    listed = json.loads(
        invoke("search", "", "--kb", kb_dir, "--department", "Engineering", "--json").output
    )
    assert [hit["date"] for hit in listed] == [f"2023-0{i}-01" for i in (5, 4, 3, 2, 1)]
    assert invoke("search", "", "--kb", kb_dir).exit_code == 2
    bad = invoke("search", "rack", "--kb", kb_dir, "--since", "2024-01-01", "--until", "2023-01-01")
    assert bad.exit_code == 2 and "--until" in bad.output and "empty" in bad.output
    assert invoke("search", "rack", "--kb", kb_dir, "--page", 0).exit_code == 2
