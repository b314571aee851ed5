"""Contested terms: departments that each use a word consistently, but differently."""

from __future__ import annotations

from kb.glossary.contested import contested_terms
from tests.kb.glossary.contested_support import (
    build_senses_index,
    candidates_of,
    documents,
    sentence,
)
from tests.kb.glossary.glossary_support import open_glossary

BOTH = {"Engineering": 4, "HR": 4}


def test_glossary_contested_flags_words_used_in_different_senses_only():
    docs = documents(BOTH)
    found = {t.term: t for t in contested_terms(candidates_of(docs), docs)}
    assert set(found) == {"release", "handover"}  # budget: the same words everywhere
    release = found["release"]
    assert release.within > 0.5 > release.across and release.documents == 8
    usage = {u.department: u for u in release.departments}
    assert "production" in usage["Engineering"].words and "payroll" in usage["HR"].words
    assert "release" not in usage["HR"].words and "the" not in usage["HR"].words
    assert usage["HR"].documents == 4


def test_glossary_contested_needs_evidence_in_two_departments():
    docs = documents({"Engineering": 6, "HR": 2})  # two HR documents are not evidence
    assert contested_terms(candidates_of(docs), docs) == []
    unknown = [(doc_id, "Engineering", text) for doc_id, _, text in docs]  # one department
    assert contested_terms(candidates_of(docs), unknown) == []


def test_glossary_contested_counts_copies_of_one_passage_once():
    docs = documents({"Engineering": 4, "HR": 1}, terms=("release",))
    copied = next(d for d in docs if d[0] == "release-hr-0")
    docs += [(f"copy-{n}", "HR", copied[2]) for n in range(4)]  # one lesson filed five times
    release = candidates_of(docs, ("release",))
    assert contested_terms(release, docs) == []


def test_glossary_contested_ranks_by_how_differently_weighted_by_use():
    small = documents(BOTH, terms=("handover",))
    large = documents({"Engineering": 9, "HR": 9}, terms=("release",))
    docs = [(f"s{doc_id}", dept, text) for doc_id, dept, text in small] + large
    ranked = contested_terms(candidates_of(docs, ("handover", "release")), docs)
    assert [t.term for t in ranked] == ["release", "handover"]
    assert ranked[0].score > ranked[1].score


def test_glossary_contested_pages_of_the_live_index(tmp_path):
    glossary, _ = open_glossary(build_senses_index(tmp_path, documents(BOTH)))
    first, second = glossary.contested_page(1, 1), glossary.contested_page(2, 1)
    assert (first.total, first.pages, first.page, second.page) == (2, 2, 1, 2)
    whole = [t.term for t in glossary.contested_page(1, 20).items]
    assert sorted(whole) == ["handover", "release"]
    assert [first.items[0].term, second.items[0].term] == whole  # disjoint, in rank order
    assert first.items[0].score >= second.items[0].score
    assert glossary.contested_page(3, 1).items == []


def test_glossary_contested_page_of_an_index_from_before_the_ranking(tmp_path):
    import sqlite3

    from kb.index.generations import DB_NAME, current_generation

    settings = build_senses_index(tmp_path, documents(BOTH))
    with sqlite3.connect(current_generation(settings.kb_dir) / DB_NAME) as conn:
        conn.executescript("DROP TABLE contested_terms; PRAGMA user_version = 1;")
    glossary, _ = open_glossary(settings)
    page = glossary.contested_page()
    assert (page.available, page.total, page.items) == (False, 0, [])
    assert page.to_dict()["available"] is False


def _around(docs, term: str, department: str, extra: list[str]) -> list[tuple[str, str, str]]:
    """`docs` with extra[n] written into the sentence before `term` in the n-th of
    `department`'s documents that use it."""
    out, n = [], 0
    for doc_id, dept, text in docs:
        if dept == department and doc_id.startswith(f"{term}-"):
            text = text.replace(f" the {term} ", f" {extra[n]} the {term} ")
            n += 1
        out.append((doc_id, dept, text))
    return out


def test_glossary_contested_ignores_names_and_dates_around_a_term():
    docs = documents({"Engineering": 6, "HR": 6}, background=30)
    verbs = "wrote noted found filed logged raised".split()  # no two alike: not one passage
    signed = {"Engineering": "Jerald Kerby {} on Monday in April", "HR": "Mary Sutton {} in June"}
    for department, signature in signed.items():  # each department's budget series, signed
        docs = _around(docs, "budget", department, [signature.format(v) for v in verbs])
    found = {t.term for t in contested_terms(candidates_of(docs), docs)}
    assert found == {"release", "handover"}


def test_glossary_contested_counts_a_series_quoting_one_passage_as_one_source():
    docs = documents({"Engineering": 6, "HR": 6}, background=30)
    series = "during a pilot exercise intended to advance the practice of costing"
    docs = _around(docs, "budget", "Engineering", [series] * 6)
    assert "budget" not in {t.term for t in contested_terms(candidates_of(docs), docs)}


def test_glossary_contested_ignores_a_term_of_a_department_template():
    """HR's form has a "proximate cause" line in every document: no sense of its own."""
    docs = documents(BOTH, terms=("release",))
    docs = [(d, dept, text.replace("release", "proximate")) for d, dept, text in docs]
    docs = [
        (d, dept, text if dept != "HR" or "proximate" in text else f"{text} {_form(n)}.")
        for n, (d, dept, text) in enumerate(docs)
    ]
    assert contested_terms(candidates_of(docs, ("proximate",)), docs) == []


def _form(n: int) -> str:
    return sentence("release", "HR", n).replace("release", "proximate")


def test_glossary_contested_needs_each_department_to_use_the_term_one_way():
    """HR's documents share no word around "release": no sense of HR's to contrast."""
    engineering = documents({"Engineering": 4}, terms=("release",))
    scattered = "apple river tiger glass cloud piano mango stone violet canyon lemon ember".split()
    hr = [
        (f"hr-{n}", "HR", f"Week report. The release {' '.join(scattered[3 * n : 3 * n + 3])}.")
        for n in range(4)
    ]
    docs = engineering + hr
    assert contested_terms(candidates_of(docs, ("release",)), docs) == []
