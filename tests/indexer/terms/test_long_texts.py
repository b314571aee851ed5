"""A text longer than spaCy parses at once is mined in pieces, never refused."""

import pytest

from indexer.terms import mine
from indexer.terms.long_texts import split_text
from indexer.terms.spacy_pipeline import mining_pipeline

PARAGRAPHS = [
    f"Flight {i}: the thermal protection system cracked during reentry because the adhesive "
    f"had aged. The Thermal Protection System (TPS) team replaced tile {i}."
    for i in range(60)
]


def test_long_texts_split_prefers_paragraphs_then_sentences_then_spaces():
    text = "First paragraph here.\n\nSecond one. It has two sentences.\n\nthird"
    assert split_text(text, 100) == [text]  # within the limit: untouched
    assert split_text(text, 40) == [
        "First paragraph here.\n\n", "Second one. It has two sentences.\n\nthird",
    ]  # fmt: skip
    assert split_text(text, 25) == [
        "First paragraph here.\n\n", "Second one. ", "It has two sentences.\n\n", "third",
    ]  # fmt: skip
    assert split_text("one two three four", 9) == ["one two ", "three ", "four"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@pytest.mark.parametrize("limit", [7, 50, 333])
def test_long_texts_pieces_join_back_within_the_limit(limit):
    text = "\n\n".join(PARAGRAPHS) + " " + "y" * 400
    pieces = split_text(text, limit)
    assert "".join(pieces) == text
    assert max(map(len, pieces)) <= limit


@pytest.fixture
def small_spacy(monkeypatch):
    """The project's pipeline with spaCy's public length limit lowered (restored after)."""
    nlp = mining_pipeline()
    monkeypatch.setattr(nlp, "max_length", 1000)
    return nlp


def test_long_texts_a_text_over_spacys_limit_is_mined_in_pieces(small_spacy):
    text = "\n\n".join(PARAGRAPHS)  # over nine times the limit
    rows = [
        ("long", text, {"department": "Ops"}),
        ("short", "The fuel valve froze on the pad.", {"department": "Ops"}),
    ]
    with pytest.raises(ValueError, match="E088"):  # what spaCy says to the whole text
        small_spacy(text)
    in_pieces = mine(rows, None, nlp=small_spacy)
    small_spacy.max_length = 1_000_000
    whole = mine(rows, None, nlp=small_spacy)
    counted = sorted((r["term"], r["frequency"], r["document_frequency"]) for r in in_pieces.rows)
    assert counted == sorted(
        (r["term"], r["frequency"], r["document_frequency"]) for r in whole.rows
    )
    assert ("thermal protection system", 180, 1) in counted  # with its 60 "TPS"
