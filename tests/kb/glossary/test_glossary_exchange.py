"""Export and import: CSV and JSON round trips, SKOS in Turtle, row-level import errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from kb.glossary import Glossary, ImportFailedError, TermFields, User
from kb.glossary.skos import BASE_IRI, SCHEME_IRI, concept_iris, literal
from kb.state import StateDB
from tests.kb.glossary.glossary_support import FAST_HASHER

ED = User("ed", "editor")
TRICKY = 'Says "hello", then\nbreaks a line; a back\\slash, a tab\tand ünïcödé · ✓'


@pytest.fixture
def glossary(tmp_path, state_url) -> Iterator[Glossary]:
    """A glossary without an index, on SQLite or PostgreSQL."""
    glossary = Glossary(tmp_path / "kb", hasher=FAST_HASHER, state=StateDB(state_url, tmp_path))
    yield glossary
    glossary.close()


def fill(glossary: Glossary) -> None:
    rows = [
        (
            "root cause analysis",
            TermFields(
                label="Root cause analysis",
                acronym="RCA",
                definition=TRICKY,
                synonyms=("root-cause analysis", "RCA review"),
                related=("five whys",),
                owner="Quality, Ops",
                status="approved",
            ),
        ),
        (
            "five whys",
            TermFields(
                label="Five whys",
                definition="Ask “why” five times.",
                related=("root cause analysis",),
                status="draft",
            ),
        ),
        ("ci/cd", TermFields(label='CI/CD "pipeline"', definition="", status="deprecated")),
    ]
    for key, _ in rows:  # create first, so related terms exist when edited in
        glossary.import_file(ED, json.dumps([{"key": key, "label": key}]).encode(), "x.json")
    for key, fields in rows:
        glossary.editor.edit(ED, key, fields, glossary.terms.get(key).version)


def test_glossary_exchange_csv_round_trips_byte_for_byte(glossary, tmp_path):
    fill(glossary)
    exported = glossary.export("csv").encode("utf-8")
    fresh = Glossary(tmp_path / "other", hasher=FAST_HASHER)
    report = fresh.import_file(ED, exported, "glossary.csv")
    assert sorted(report.created) == ["ci/cd", "five whys", "root cause analysis"]
    assert fresh.export("csv").encode("utf-8") == exported
    again = glossary.import_file(ED, exported, "glossary.csv")  # into the same glossary
    assert again.unchanged == sorted(report.created) and not again.updated
    assert glossary.export("csv").encode("utf-8") == exported


def test_glossary_exchange_csv_layout(glossary):
    fill(glossary)
    lines = glossary.export("csv").split("\n")
    assert lines[0] == "key,label,definition,acronym,synonyms,related,owner,status"
    assert lines[1] == 'ci/cd,"CI/CD ""pipeline""",,,,,,deprecated'
    assert "root-cause analysis | RCA review,five whys" in glossary.export("csv")


def test_glossary_exchange_json_round_trips(glossary, tmp_path):
    fill(glossary)
    exported = glossary.export("json")
    data = json.loads(exported)
    assert data["format"] == "lessonbase-glossary"
    assert data["terms"][2]["definition"] == TRICKY
    fresh = Glossary(tmp_path / "other", hasher=FAST_HASHER)
    fresh.import_file(ED, exported.encode(), "g.json")
    assert fresh.export("json") == exported


def turtle(text: str) -> Graph:
    """The triples of a Turtle document; rdflib raises on anything that is not Turtle."""
    return Graph(bind_namespaces="none").parse(data=text, format="turtle")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def test_glossary_exchange_skos_is_valid_turtle_with_concepts(glossary):
    fill(glossary)
    graph = turtle(glossary.export("skos"))
    assert dict(graph.namespaces())["skos"] == URIRef(str(SKOS))
    assert (URIRef(SCHEME_IRI), RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    rca = URIRef(BASE_IRI + "root-cause-analysis")
    assert concepts == {rca, URIRef(BASE_IRI + "five-whys"), URIRef(BASE_IRI + "ci-cd")}
    assert (rca, SKOS.prefLabel, en("Root cause analysis")) in graph
    assert (rca, SKOS.definition, en(TRICKY)) in graph  # quotes, newline, backslash survive
    assert set(graph.objects(rca, SKOS.altLabel)) == {
        en("root-cause analysis"),
        en("RCA review"),
        en("RCA"),
    }
    assert (rca, SKOS.related, URIRef(BASE_IRI + "five-whys")) in graph
    assert (rca, SKOS.inScheme, URIRef(SCHEME_IRI)) in graph
    for concept in concepts:
        assert len(list(graph.objects(concept, SKOS.prefLabel))) == 1


def test_glossary_exchange_skos_marks_deprecated_terms(glossary):
    fill(glossary)
    graph = turtle(glossary.export("skos"))
    ci_cd = URIRef(BASE_IRI + "ci-cd")
    assert (ci_cd, OWL.deprecated, Literal(True)) in graph
    assert list(graph.objects(ci_cd, SKOS.prefLabel)) == [en('CI/CD "pipeline"')]


def test_glossary_exchange_skos_literal_escaping():
    for text in ('"', "\\", "a\nb\r\nc", "tab\there", "bell\x07", 'end with \\"', "ü ✓"):
        written = literal(text)
        assert "\n" not in written and "\r" not in written
        graph = turtle(f"<urn:x> <urn:p> {written} .")
        assert list(graph.objects()) == [en(text)]
    assert literal('say "hi"\n') == '"say \\"hi\\"\\n"@en'


def test_glossary_exchange_slugs_are_stable_and_distinct():
    named = concept_iris(["Root cause analysis", "Über-Prüfung"])
    assert named["Root cause analysis"] == f"<{BASE_IRI}root-cause-analysis>"
    assert named["Über-Prüfung"] == f"<{BASE_IRI}uber-prufung>"
    iris = concept_iris(["ci/cd", "ci cd", "lead time", "???"])
    assert iris["lead time"] == f"<{BASE_IRI}lead-time>"
    assert len(set(iris.values())) == 4
    assert iris == concept_iris(["???", "lead time", "ci cd", "ci/cd"])


CSV_HEADER = "key,label,definition,acronym,synonyms,related,owner,status\n"


def import_problems(glossary, text: str, name: str = "g.csv"):
    with pytest.raises(ImportFailedError) as failed:
        glossary.import_file(ED, text.encode("utf-8"), name)
    return [(p.line, p.field) for p in failed.value.problems], failed.value


def test_glossary_exchange_import_errors_name_line_and_field_and_write_nothing(glossary):
    text = CSV_HEADER + (
        "good,Good term,Fine.,,,,,draft\n"
        'multi,"Multi\nline label",,,,,,approved\n'  # one record on lines 3-4 (label is cleaned)
        ",No key,,,,,,draft\n"
        "bad status,Bad,,,,,,final\n"
        "good,Again,,,,,,draft\n"
        "rel,Related,,,,missing term,,draft\n"
    )
    problems, error = import_problems(glossary, text)
    assert problems == [(5, "key"), (6, "status"), (7, "key"), (8, "related")]
    messages = [str(p) for p in error.problems]
    assert (
        "line 6, field status: must be one of draft, approved, deprecated, got 'final'" in messages
    )
    assert "line 7, field key: 'good' is also on line 2" in messages
    assert "nothing was imported" in error.message
    assert glossary.terms.accepted() == []
    assert glossary.terms.history("good") == []


def test_glossary_exchange_import_checks_the_header(glossary):
    problems, _ = import_problems(glossary, "key,name,colour\nx,y,z\n")
    assert problems == [(1, "label"), (1, "name"), (1, "colour")]


def test_glossary_exchange_import_json_errors_name_the_line(glossary):
    text = json.dumps(
        {
            "terms": [
                {"key": "ok", "label": "OK"},
                {"key": "x", "label": "X", "synonyms": "not a list"},
                {"key": "y", "label": "", "status": "approved"},
            ]
        },
        indent=2,
    )
    problems, _ = import_problems(glossary, text, "g.json")
    first_lines = [n + 1 for n, line in enumerate(text.split("\n")) if line.strip() == "{"][1:]
    assert problems == [(first_lines[1], "synonyms")]  # type errors first, then the values
    fixed = text.replace('"not a list"', '["fine"]')
    problems, _ = import_problems(glossary, fixed, "g.json")
    assert problems == [(first_lines[2], "label")]
    assert glossary.terms.accepted() == []


def test_glossary_exchange_import_refuses_other_files(glossary):
    problems, _ = import_problems(glossary, "{not json", "g.json")
    assert problems == [(1, "")]
    with pytest.raises(ImportFailedError, match="nothing was imported") as failed:
        glossary.import_file(ED, b"key,label\n\xff\xfe,x\n", "g.csv")
    assert failed.value.problems[0].line == 2
    from kb.glossary import GlossaryError

    with pytest.raises(GlossaryError, match=".csv or .json"):
        glossary.import_file(ED, b"x", "glossary.xlsx")


def test_glossary_exchange_import_records_history(glossary):
    glossary.import_file(ED, (CSV_HEADER + "kpi,KPI,,,,,,draft\n").encode(), "g.csv")
    glossary.import_file(
        ED, (CSV_HEADER + "kpi,KPI,Key performance indicator,,,,,approved\n").encode(), "g.csv"
    )
    history = glossary.terms.history("kpi")
    assert [(e.version, e.action) for e in history] == [(2, "import"), (1, "import")]
    assert history[0].changes == {
        "definition": ["", "Key performance indicator"],
        "status": ["draft", "approved"],
    }


def test_glossary_exchange_export_leaves_out_related_terms_no_longer_in_the_glossary(
    glossary, tmp_path
):
    fill(glossary)
    glossary.editor.reject(ED, "five whys", "duplicate", glossary.terms.get("five whys").version)
    exported = glossary.export("csv")
    assert "five whys" not in exported
    fresh = Glossary(tmp_path / "other", hasher=FAST_HASHER)
    fresh.import_file(ED, exported.encode(), "g.csv")  # still imports
    assert fresh.export("csv") == exported


FORMULAS = TermFields(
    label='=HYPERLINK("http://evil.example","click")',
    definition="+1 for every late vendor",
    acronym="@SUM",
    synonyms=("=A1", "plain"),
    owner="-ops",
)
APOSTROPHES = TermFields(label="'quoted", definition="'=not a formula either", owner="''-x")


def cells(csv_text: str) -> list[str]:
    import csv
    import io

    return [cell for row in csv.reader(io.StringIO(csv_text)) for cell in row]


def test_glossary_exchange_csv_neutralizes_formulas_and_round_trips(glossary, tmp_path):
    for key, fields in (("formula", FORMULAS), ("apostrophe", APOSTROPHES)):
        glossary.import_file(ED, json.dumps([{"key": key, "label": key}]).encode(), "x.json")
        glossary.editor.edit(ED, key, fields, glossary.terms.get(key).version)
    exported = glossary.export("csv")
    assert not [cell for cell in cells(exported) if cell.startswith(("=", "+", "-", "@"))]
    assert "'=HYPERLINK(" in exported and "'=A1 | plain" in exported
    assert ",'quoted," in exported and "'''-x" in exported  # "''-x" gains one apostrophe
    fresh = Glossary(tmp_path / "other", hasher=FAST_HASHER)
    fresh.import_file(ED, exported.encode("utf-8"), "glossary.csv")
    assert fresh.terms.get("formula").fields == glossary.terms.get("formula").fields
    assert fresh.terms.get("apostrophe").label == "'quoted"
    assert fresh.terms.get("apostrophe").definition == "'=not a formula either"
    assert fresh.export("csv") == exported


def test_glossary_exchange_import_keeps_a_hand_written_apostrophe(glossary):
    glossary.import_file(ED, (CSV_HEADER + "o,'Neill,'=1+1,,,,,draft\n").encode(), "g.csv")
    assert glossary.terms.get("o").label == "'Neill"  # not a neutralized formula: kept
    assert glossary.terms.get("o").definition == "=1+1"  # a spreadsheet shows '=1+1 as =1+1


def test_glossary_exchange_import_refuses_deeply_nested_json(glossary):
    deep = '{"terms": [' + "[" * 5_000 + "]" * 5_000 + "]}"
    problems, error = import_problems(glossary, deep, "g.json")
    assert problems == [(1, "")]
    assert "nested 5002 levels deep" in str(error.problems[0])
    assert "at most 32" in str(error.problems[0])
    brackets_in_text = json.dumps([{"key": "x", "label": "[" * 100 + "{" * 100}])
    glossary.import_file(ED, brackets_in_text.encode(), "g.json")  # strings do not count
    assert glossary.terms.get("x").label.startswith("[[[")
