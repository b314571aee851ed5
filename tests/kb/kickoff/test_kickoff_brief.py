"""Reading briefs: pasted text, uploaded Markdown, text and DOCX, and every refusal."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from kb.kickoff import BriefError, read_upload
from kb.kickoff.brief import MAX_PASSAGES, parse_brief
from tests.kb.documents.docx_support import docx_package, word_document
from tests.kb.kickoff.kickoff_support import BRIEF

LIMIT = 100_000


def test_kickoff_brief_title_and_sentences_from_markdown():
    brief = parse_brief(BRIEF)
    assert brief.title == "Project Meridian: a new ERP for finance and procurement"
    # Wrapped lines are joined into one sentence; headings and "Field: value" lines are not
    # searched on their own.
    assert (
        "Two hardware vendors deliver new servers and racks for the integration layer; "
        "the quoted lead time is six weeks." in brief.passages
    )
    assert not any(p.startswith(("Department", "Scope", "Risks")) for p in brief.passages)
    assert "The hardware vendor may deliver late, as Kestrel Hardware did during Atlas." in (
        brief.passages
    )
    assert "**" not in brief.text and "#" not in brief.text


def test_kickoff_brief_title_is_searched_with_the_brief_not_as_a_topic():
    text = (
        "# Ground station modernisation for a low Earth orbit science mission\n\n"
        "The baseband equipment and the station software are fifteen years old.\n"
    )
    brief = parse_brief(text)
    assert brief.title == "Ground station modernisation for a low Earth orbit science mission"
    assert brief.passages == [
        "The baseband equipment and the station software are fifteen years old."
    ]
    assert "modernisation" in brief.text
    only_title = parse_brief("# Vendor delays during the data centre migration")
    assert only_title.passages == ["Vendor delays during the data centre migration"]


def test_kickoff_brief_explicit_title_wins_and_long_briefs_are_merged():
    sentences = " ".join(f"Vendor number {i} delivers racks late again." for i in range(80))
    brief = parse_brief(sentences, title="  Racks  ")
    assert brief.title == "Racks"
    assert len(brief.passages) == MAX_PASSAGES
    assert sum(p.count("Vendor number") for p in brief.passages) == 80


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("the and of it was to be", "no_words"),
        ("## --- *", "no_words"),
    ],
)
def test_kickoff_brief_refuses_empty_and_stop_words(text, kind):
    with pytest.raises(BriefError) as caught:
        parse_brief(text)
    assert caught.value.kind == kind
    assert caught.value.message


def test_kickoff_brief_reads_markdown_and_text_uploads():
    assert read_upload(b"# Brief\nVendors are late.", "charter.md", LIMIT).startswith("# Brief")
    assert (
        read_upload("\ufeffPlain text brief".encode(), "charter.txt", LIMIT) == "Plain text brief"
    )
    assert read_upload(b"no suffix at all", "charter", LIMIT) == "no suffix at all"


def test_kickoff_brief_reads_docx_headings_and_paragraphs():
    data = word_document(
        ("Title", "Project Atlas II"), ("Heading 1", "Risks"), ("Normal", "Racks late.")
    )
    text = read_upload(data, "Charter.DOCX", LIMIT)
    assert text.splitlines()[0] == "# Project Atlas II"
    assert "# Risks" in text and "Racks late." in text
    assert parse_brief(text).title == "Project Atlas II"


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"x" * (LIMIT + 1), "big.md", "too_large"),
        (b"\x00\x01\x02binary\x00", "brief.md", "binary"),
        (b"caf\xe9 latin-1", "brief.txt", "binary"),
        (b"this is not a zip archive", "charter.docx", "bad_docx"),
        (b"PK\x03\x04 broken zip", "charter.docx", "bad_docx"),
        (b"%PDF-1.7", "charter.pdf", "unsupported"),
    ],
)
def test_kickoff_brief_refuses_bad_uploads(data, name, kind):
    with pytest.raises(BriefError) as caught:
        read_upload(data, name, LIMIT)
    assert caught.value.kind == kind
    assert name in caught.value.message


def test_kickoff_brief_refuses_a_zip_that_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(BriefError) as caught:
        read_upload(buffer.getvalue(), "charter.docx", LIMIT)
    assert caught.value.kind == "bad_docx"


def test_kickoff_brief_reads_docx_tables_after_paragraphs():
    document = docx.Document()
    document.add_paragraph("Risks", style="Heading 1")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {
        (0, 0): "Risk",
        (0, 1): "Owner",
        (1, 0): "Racks late",
        (1, 1): "Ana",
    }.items():
        table.cell(row, col).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_upload(buffer.getvalue(), "charter.docx", LIMIT)
    assert text.split("\n\n") == ["# Risks", "Risk · Owner", "Racks late · Ana"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 295_000, "more than 20,000 paragraphs"),
        ("<w:p><w:r><w:t>" + " " * 70_000_000 + "</w:t></w:r></w:p>", "unpacks to"),
    ],
    ids=["paragraph-bomb", "zip-bomb"],
)
def test_kickoff_brief_refuses_docx_bombs_as_too_large(body, words):
    with pytest.raises(BriefError) as caught:
        read_upload(docx_package(body), "charter.docx", LIMIT)
    assert caught.value.kind == "too_large"
    assert "charter.docx" in caught.value.message and words in caught.value.message
