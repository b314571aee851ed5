import numpy as np

from indexer import run_index
from kb.index.document_terms import DOCUMENT_TERMS_NAME, DocumentTerms
from kb.index.generations import DB_NAME, current_generation
from kb.index.store import Store
from tests.conftest import markdown_doc

LEAK = "The hypergolic cart quick disconnect leaked nitrogen tetroxide during servicing."


def _index(write_doc, fake_settings, texts: dict[str, str]):
    for name, text in texts.items():
        write_doc(f"{name}.md", markdown_doc(name.title(), sections={"Lesson": text}))
    run_index([write_doc.root], fake_settings)
    generation = current_generation(fake_settings.kb_dir)
    store = Store(generation / DB_NAME, read_only=True)
    return store, DocumentTerms.load(generation / DOCUMENT_TERMS_NAME)


def test_document_terms_rank_shared_distinctive_words_first(write_doc, fake_settings):
    store, terms = _index(write_doc, fake_settings, {
        "leak": LEAK, "again": f"Again: {LEAK.lower()}", "partly": "A cart leaked nitrogen.",
        "party": "Book the summer party venue early.",
    })  # fmt: skip
    rowid = {row[1]: row[0] for row in store.db.conn.execute("SELECT rowid, id FROM documents")}
    scores = terms.similarities(rowid["leak"])
    assert scores[rowid["leak"]] == 0.0  # never itself
    # "party" shares only the section heading and "the" with it
    assert scores[rowid["again"]] > scores[rowid["partly"]] > 2 * scores[rowid["party"]]
    assert 0.0 < scores.max() <= 1.0 + 1e-6  # a cosine


def test_document_terms_of_an_unknown_rowid_are_all_zero(write_doc, fake_settings):
    _, terms = _index(write_doc, fake_settings, {"leak": LEAK})
    assert not np.any(terms.similarities(10_000)) and not np.any(terms.similarities(-1))
