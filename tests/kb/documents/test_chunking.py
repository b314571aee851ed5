import pytest

from kb.documents.chunking import chunk_document, sentence_spans, split_section
from kb.documents.schema import Document, Section


def words(n, start=0):
    return " ".join(f"W{i}" for i in range(start, start + n))


def test_chunking_sentence_spans_cover_sentences_and_list_items():
    text = "First one. Second one!\n- item a\n- item b"
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "First one.", "Second one!", "- item a", "- item b"
    ]  # fmt: skip


def test_chunking_short_section_is_one_chunk():
    assert len(split_section("One. Two. Three.", max_words=50, overlap_words=10)) == 1


@pytest.mark.parametrize(("max_words", "overlap"), [(30, 0), (30, 10), (50, 20)])
def test_chunking_long_section_windows_respect_limits_and_cover_text(max_words, overlap):
    text = " ".join(f"{words(10, i * 10)}." for i in range(20))
    spans = split_section(text, max_words, overlap)
    assert len(spans) > 1
    covered = set()
    for span in spans:
        piece = text[span.start : span.end]
        assert len(piece.split()) <= max_words
        covered.update(piece.replace(".", "").split())
    assert covered == set(text.replace(".", "").split())
    if overlap:
        first, second = (set(text[s.start : s.end].split()) for s in spans[:2])
        assert first & second


def test_chunking_overlong_sentence_is_cut_into_overlapping_word_runs():
    text = words(100)
    spans = split_section(text, max_words=30, overlap_words=10)
    pieces = [text[s.start : s.end].split() for s in spans]
    assert all(len(p) <= 30 for p in pieces)
    assert pieces[0][0] == "W0" and pieces[-1][-1] == "W99"
    assert set(pieces[0]) & set(pieces[1])


def test_chunking_chunks_know_document_section_and_position():
    doc = Document(
        id="d1", title="T", type="lesson", department="HR", date=None,
        sections=[Section("context", "Context", "Alpha. " * 3), Section("lesson", "Lesson", words(70))],
    )  # fmt: skip
    chunks = chunk_document(doc, max_words=30, overlap_words=5)
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert chunks[0].section_key == "context" and chunks[1].section_key == "lesson"
    assert [c.section_position for c in chunks if c.section_key == "lesson"][:2] == [0, 1]
    lesson = doc.sections[1].text
    assert all(lesson[c.char_start : c.char_end] == c.text for c in chunks[1:])
    assert chunks[1].embed_text.startswith("T. Lesson: ")
    assert chunks[1].content_hash != chunks[2].content_hash
