from collections import Counter

from indexer import run_index
from kb.index.generations import DB_NAME, current_generation
from kb.index.lesson_pairs import LESSON_PAIRS_NAME, PARTNERS, LessonPairs
from kb.index.store import Store
from tests.conftest import markdown_doc

LEAK = "The hypergolic cart quick disconnect leaked nitrogen tetroxide during servicing."
EVENT = "The cart stood beside the pad for three days while the crew waited for parts."


def _pairs(write_doc, fake_settings, docs: dict[str, dict[str, str]]) -> dict[frozenset, float]:
    """{frozenset of two document ids: score} of the pairs the index kept."""
    for name, sections in docs.items():
        write_doc(f"{name}.md", markdown_doc(name.title(), sections=sections))
    run_index([write_doc.root], fake_settings)
    generation = current_generation(fake_settings.kb_dir)
    pairs = LessonPairs.load(generation / LESSON_PAIRS_NAME)
    store = Store(generation / DB_NAME, read_only=True)
    ids = dict(store.db.conn.execute("SELECT rowid, id FROM documents").fetchall())
    store.close()
    kept = zip(pairs.first.tolist(), pairs.second.tolist(), pairs.score.tolist(), strict=True)
    return {frozenset((ids[a], ids[b])): score for a, b, score in kept}


def test_lesson_pairs_compare_the_lessons_not_the_shared_account(write_doc, fake_settings):
    pairs = _pairs(write_doc, fake_settings, {
        "leak": {"What happened": EVENT, "Lesson": LEAK},
        "clamps": {"What happened": EVENT, "Lesson": "Keep spare harness clamps in the kit."},
        "again": {"What happened": "A quiet night shift.", "Lesson": f"Again: {LEAK.lower()}"},
    })  # fmt: skip
    assert pairs[frozenset(("leak", "again"))] > 0.8
    assert pairs.get(frozenset(("leak", "clamps")), 0.0) < 0.1


def test_lesson_pairs_keep_each_documents_closest_partners_only(write_doc, fake_settings):
    copies = PARTNERS + 5
    docs = {f"copy-{n}": {"Lesson": LEAK} for n in range(copies)}
    pairs = _pairs(write_doc, fake_settings, docs)
    partners = Counter(doc_id for pair in pairs for doc_id in pair)
    assert min(partners.values()) >= PARTNERS  # each keeps its closest PARTNERS at least
    assert len(pairs) < copies * (copies - 1) // 2  # but not every pair of the copies
