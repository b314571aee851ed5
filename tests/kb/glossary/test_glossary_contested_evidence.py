"""Contested terms for a viewer who may not read every document, from the evidence the index
keeps per document (kb.glossary.contested_evidence): the same terms, scores and words as
judging the readable texts again, which an index written before that evidence still does."""

from __future__ import annotations

import shutil

import pytest

from kb.access import Viewer
from kb.glossary.contested import readable_contested
from kb.index.candidates import Access
from kb.index.filters import Filters
from kb.index.generations import DB_NAME, current_generation
from kb.index.store import Store
from tests.kb.glossary.contested_support import build_senses_index, documents

VIEWERS = {
    "anonymous": Viewer.anonymous(),
    "signed in": Viewer(True, "sam"),
    "engineering": Viewer(True, "erin", ("Engineering",)),
    "hr": Viewer(True, "hana", ("HR",)),
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The index's store (evidence kept), and a copy without the evidence, as an index
    written before it was kept."""
    base = tmp_path_factory.mktemp("contested-evidence")
    docs = documents({"Engineering": 7, "HR": 6})
    restricted = frozenset(
        d for d, _, _ in docs if d.startswith(("handover-hr-", "release-engineering-1"))
    ) | {"budget-hr-0", "engineering-3"}
    settings = build_senses_index(base, docs, restricted)
    path = current_generation(settings.kb_dir) / DB_NAME
    old = base / "old.sqlite"
    shutil.copyfile(path, old)
    with Store(old).db.transaction() as conn:
        conn.execute("DELETE FROM contested_evidence")
        conn.execute("DELETE FROM contested_words")
    kept, read_again = Store(path, read_only=True), Store(old, read_only=True)
    yield kept, read_again
    kept.close()
    read_again.close()


def access(viewer: Viewer) -> Access:
    return Access.of(Filters(viewer=viewer, default_sensitivity="internal"))


@pytest.mark.parametrize("who", VIEWERS)
def test_glossary_contested_evidence_view_equals_reading_the_texts_again(stores, who):
    kept, read_again = stores
    rule = access(VIEWERS[who])
    assert kept.contested.readable_words(rule.sql, rule.params) is not None
    assert read_again.contested.readable_words(rule.sql, rule.params) is None
    assert readable_contested(kept, rule) == readable_contested(read_again, rule)


def test_glossary_contested_evidence_views_differ_by_what_is_readable(stores):
    kept, _ = stores
    terms = {
        who: [t.term for t in readable_contested(kept, access(v))] for who, v in VIEWERS.items()
    }
    assert "handover" in terms["hr"] and "handover" not in terms["engineering"]
