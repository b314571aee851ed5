"""A re-index keeps the candidate rows of unchanged documents, and the table stays exact."""

from __future__ import annotations

import pytest

from indexer import run_index
from indexer.digests import text_digest
from indexer.terms import reuse
from indexer.terms.cache import mining_cache_path
from indexer.terms.doc_counts import DocCounts
from indexer.terms.reuse import (
    DocumentChanges,
    MiningBasis,
    StoredCandidates,
    texts_to_parse,
    touched_surfaces,
)
from tests.conftest import markdown_doc
from tests.indexer.terms.support import candidates, settings_for

pytestmark = pytest.mark.usefixtures("nlp")  # the fake spaCy pipeline (conftest.py)

DOCS = {
    "ops/dns.md": ("Operations", "Our root cause analysis (RCA) found a stale DNS record."),
    "ops/pager.md": ("Operations", "The RCA showed the pager rota had a gap over the weekend."),
    "eng/racks.md": ("Engineering", "The rack vendor missed the DNS cut-over; the RCA said why."),
    "eng/vendor.md": ("Engineering", "Vendor lead times doubled; the rack vendor paid penalties."),
    "it/backup.md": ("IT", "Backup restores were never tested before the DNS migration."),
    "eng/audit.md": ("Engineering", "The root cause assessment (RCA) of the audit was late."),
    "eng/wind.md": ("Engineering", "The turbine cracked in the cold."),
    "ops/wind.md": ("Operations", "The turbines failed during the storm."),
}


@pytest.fixture
def corpus(write_doc):
    for name, (department, text) in DOCS.items():
        write(write_doc, name, department, text)
    return write_doc


def write(write_doc, name: str, department: str, text: str) -> None:
    write_doc(name, markdown_doc(department=department, sections={"Lesson": text}))


def edit_text(corpus):
    write(corpus, "ops/pager.md", "Operations", "The pager rota now has a named backup.")


def change_department(corpus):
    write(corpus, "it/backup.md", "Operations", DOCS["it/backup.md"][1])


def remove_file(corpus):
    (corpus.root / "eng" / "vendor.md").unlink()


def add_file(corpus):
    write(corpus, "it/vpn.md", "IT", "The VPN gateway dropped every rack vendor session.")


def pair_an_acronym(corpus):
    text = "The domain name system (DNS) record expired before the rack vendor noticed."
    write(corpus, "eng/racks.md", "Engineering", text)


def flip_an_acronym(corpus):
    """RCA's expansion tie (assessment first) is broken for analysis: the row of "root
    cause assessment", whose only document is unchanged, loses its acronym."""
    write(corpus, "ops/review.md", "Operations", "The root cause analysis (RCA) was reviewed.")


def drop_a_variant(corpus):
    """ "turbines" leaves the group "turbine", whose own document is unchanged."""
    write(corpus, "ops/wind.md", "Operations", "The storm passed without damage.")


@pytest.mark.parametrize(
    "change",
    [edit_text, change_department, remove_file, add_file, pair_an_acronym, flip_an_acronym,
     drop_a_variant],
)  # fmt: skip
def test_reuse_table_matches_a_fresh_index(corpus, tmp_path, change):
    settings = settings_for(tmp_path / "kb")
    run_index([corpus.root], settings)
    change(corpus)
    again = run_index([corpus.root], settings)
    assert again.glossary_rows_kept > 0  # rows of untouched terms were kept, not rebuilt
    fresh = settings_for(tmp_path / "fresh")
    run_index([corpus.root], fresh)
    assert candidates(settings) == candidates(fresh) and candidates(settings)


def test_reuse_rebuilds_every_row_when_rows_were_made_another_way(corpus, tmp_path, monkeypatch):
    settings = settings_for(tmp_path / "kb")
    run_index([corpus.root], settings)
    monkeypatch.setattr(reuse, "ROWS_FORMAT", reuse.ROWS_FORMAT + 1)  # a public constant
    edit_text(corpus)
    again = run_index([corpus.root], settings)
    assert again.glossary_candidates and again.glossary_rows_kept == 0
    fresh = settings_for(tmp_path / "fresh")
    run_index([corpus.root], fresh)
    assert candidates(settings) == candidates(fresh)


def test_reuse_rebuilds_every_row_when_a_removed_text_has_no_counts(corpus, tmp_path):
    settings = settings_for(tmp_path / "kb")
    run_index([corpus.root], settings)
    mining_cache_path(settings.kb_dir).unlink()  # the removed text's surface forms are lost
    remove_file(corpus)
    again = run_index([corpus.root], settings)
    assert again.glossary_rows_kept == 0
    fresh = settings_for(tmp_path / "fresh")
    run_index([corpus.root], fresh)
    assert candidates(settings) == candidates(fresh)


def test_reuse_touched_surfaces_include_both_sides_of_changed_acronyms():
    counts = DocCounts(surfaces=["pager rota", "gap"])
    before = {"rca": "root cause analysis", "dns": "domain name system"}
    now = {"rca": "root cause assessment", "dns": "domain name system", "sla": "service level"}
    touched = touched_surfaces([counts], before, now)
    assert touched == {
        "pager rota", "gap", "rca", "root cause analysis", "root cause assessment", "sla",
        "service level",
    }  # fmt: skip


def test_reuse_document_changes_name_added_positions_and_removed_keys():
    basis = MiningBasis("s", [("a", "1", "{}"), ("b", "2", "{}"), ("c", "3", "{}")], {})
    keys = [("a", "1", "{}"), ("b", "9", "{}"), ("d", "4", "{}")]
    changes = DocumentChanges.between(basis, keys)
    assert changes.added == [1, 2]
    assert changes.removed == [("b", "2", "{}"), ("c", "3", "{}")]
    assert changes.removed_digests == {"2", "3"}


def test_reuse_texts_to_parse_counts_only_texts_the_last_mining_lacked():
    stored = StoredCandidates(MiningBasis("s", [("a", text_digest("one"), "{}")], {}), {})
    rows = [("a", "one", {}), ("b", "two", {}), ("c", "two", {})]  # "two" twice: parsed once
    assert texts_to_parse(rows, stored) == 1
    assert texts_to_parse(rows, None) == 3
