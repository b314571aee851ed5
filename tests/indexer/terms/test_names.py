"""People and places among the review queue's candidates go below the cut-off (`names`)."""

import pytest
import spacy

from indexer.terms import mine

_BLANK = spacy.blank("en")


class FakeEntities:
    """Stands in for spaCy's entity recognizer: labels the given words where they occur."""

    def __init__(self, labels: dict[str, str]):
        self.labels, self.read = labels, []

    def pipe(self, texts, batch_size: int = 64):
        for text in texts:
            self.read.append(text)
            doc = _BLANK.make_doc(text)
            spans = []
            for word, label in self.labels.items():
                at = text.find(word)
                if at >= 0:
                    spans.append(doc.char_span(at, at + len(word), label=label))
            doc.ents = [span for span in spans if span is not None]
            yield doc


def _lessons(count: int) -> list[tuple]:
    return [
        (f"d{n}", f"The valve test on pad {n} was led by Zorvak . "
                  f"The valve seal used Kelvane tape .", {"department": "Ops"})
        for n in range(count)
    ]  # fmt: skip


def test_names_person_goes_below_the_cut_and_a_named_thing_stays(nlp):
    unrecognized = mine(_lessons(8), None, entities=FakeEntities({})).rows
    assert next(row for row in unrecognized if row["term"] == "zorvak")["accepted"]
    entities = FakeEntities({"Zorvak": "PERSON", "Kelvane tape": "PRODUCT"})
    rows = {row["term"]: row for row in mine(_lessons(8), None, entities=entities).rows}
    assert rows["kelvane tape"]["accepted"] and rows["kelvane tape"]["display"] == "Kelvane tape"
    assert not rows["zorvak"]["accepted"]  # still listed, below the cut-off


def test_names_reads_a_bounded_sample_of_capitalized_candidates_only(nlp):
    entities = FakeEntities({"Zorvak": "PERSON"})
    mine(_lessons(12), None, entities=entities)
    zorvak = [text for text in entities.read if "Zorvak" in text]
    assert 0 < len(zorvak) <= 5
    assert not any(text.startswith("valve") for text in entities.read)  # lower-case terms


def test_names_a_name_also_written_lower_case_stays(nlp):
    rows = _lessons(8) + [("x", "The plan named zorvak as a step .", {"department": "IT"})]
    table = mine(rows, None, entities=FakeEntities({"Zorvak": "PERSON"}))
    assert next(row for row in table.rows if row["term"] == "zorvak")["accepted"]


@pytest.mark.slow
def test_names_a_city_goes_below_the_cut_with_the_real_pipelines():
    verbs = ["checked", "inspected", "replaced", "tested", "cleaned", "measured"]
    rows = [
        (f"d{n}", f"The engineers shipped the flight battery from Denver to the launch site in "
                  f"week {n}. At the site they {verb} the Kapton tape on the harness.", {})
        for n, verb in enumerate(verbs)
    ]  # fmt: skip
    table = {row["term"]: row for row in mine(rows, None).rows}
    lowest_accepted = min(row["score"] for row in table.values() if row["accepted"])
    assert table["denver"]["score"] >= lowest_accepted  # the model alone would keep it
    assert not table["denver"]["accepted"] and table["kapton tape"]["accepted"]
