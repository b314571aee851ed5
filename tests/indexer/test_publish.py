import dataclasses
import threading
import time
from pathlib import Path

import pytest

from indexer import run_index
from indexer.pipeline import index_lock
from indexer.publish import ContributionRefusedError, index_published
from kb.index.generations import current_generation
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchRequest
from tests.conftest import EXAMPLES, markdown_doc

CORPUS = EXAMPLES / "corpus"
QUERIES = ["zorblax valve", "vendor lead times", "onboarding hand-off", "cold soak"]


def contribution(settings, name, word, department="Engineering"):
    path = settings.kb_dir / "contributions" / department.lower() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    sections = {"What happened": f"The {word} valve seized after a cold soak.",
                "Lesson": f"Qualify every {word} part at the coldest soak temperature."}  # fmt: skip
    path.write_text(markdown_doc(f"The {word} valve", department=department, sections=sections))
    return path


def found(kb, query, mode="hybrid"):
    hits = kb.search(SearchRequest(q=query, mode=mode, k=20))
    return [(h.id, round(h.score, 6)) for h in hits]


@pytest.fixture
def indexed(fake_settings):
    run_index([CORPUS], fake_settings)
    return fake_settings


def test_publish_makes_a_contribution_searchable_by_a_running_reader(indexed):
    reader = KnowledgeBase(indexed)
    run = index_published([contribution(indexed, "zorblax.md", "zorblax")], indexed)
    assert run.documents == ["engineering-zorblax"]
    assert run.generation == str(current_generation(indexed.kb_dir))
    assert [h for h, _ in found(reader, "zorblax", "keyword")] == ["engineering-zorblax"]
    assert reader.document("engineering-zorblax").document.title == "The zorblax valve"


def test_publish_gives_the_index_a_full_run_over_the_same_files_gives(indexed, tmp_path):
    first = contribution(indexed, "zorblax.md", "zorblax")
    index_published([first], indexed)
    index_published([contribution(indexed, "quux.md", "quux", "Finance")], indexed)
    first.write_text(first.read_text().replace("cold soak", "hot soak"))  # an edit
    index_published([first], indexed)
    full = dataclasses.replace(
        indexed, kb_dir=tmp_path / "full", contributions_dir=indexed.kb_dir / "contributions"
    )
    run_index([CORPUS], full)
    published, rebuilt = KnowledgeBase(indexed), KnowledgeBase(full)
    assert published.manifest.counts == rebuilt.manifest.counts
    for query in [*QUERIES, "quux", "hot soak"]:
        for mode in ("hybrid", "keyword", "semantic"):
            assert found(published, query, mode) == found(rebuilt, query, mode), (query, mode)


@pytest.mark.parametrize("rebuild", [False, True])
def test_publish_contributions_stay_through_a_full_index_run(indexed, rebuild):
    index_published([contribution(indexed, "zorblax.md", "zorblax")], indexed)
    run = run_index([CORPUS], indexed, rebuild=rebuild)
    assert run.errors == []
    kb = KnowledgeBase(indexed)
    assert [h for h, _ in found(kb, "zorblax", "keyword")] == ["engineering-zorblax"]


def test_publish_refuses_an_invalid_file_with_the_validators_message(indexed):
    live = current_generation(indexed.kb_dir)
    bad = contribution(indexed, "bad.md", "zorblax")
    bad.write_text(bad.read_text().replace("title: The zorblax valve\n", ""))
    with pytest.raises(ContributionRefusedError, match="bad.md.*title"):
        index_published([bad], indexed)
    assert current_generation(indexed.kb_dir) == live
    assert found(KnowledgeBase(indexed), "zorblax", "keyword") == []


def test_publish_refuses_an_id_another_file_holds_and_publishes_nothing(indexed):
    live = current_generation(indexed.kb_dir)
    taken = next(iter(KnowledgeBase(indexed).store.sources.all()))
    owner = KnowledgeBase(indexed).store.documents.ids_from(taken)[0]
    clash = contribution(indexed, "clash.md", "zorblax")
    clash.write_text(clash.read_text().replace("---\n", f"---\nid: {owner}\n", 1))
    with pytest.raises(ContributionRefusedError, match=f"duplicate id '{owner}'"):
        index_published([clash], indexed)
    assert current_generation(indexed.kb_dir) == live


def test_publish_refuses_a_file_outside_the_contributions_folder(indexed, write_doc):
    elsewhere = write_doc("eng/zorblax.md", markdown_doc())
    with pytest.raises(ValueError, match="not under the contributions folder"):
        index_published([elsewhere], indexed)


def test_publish_two_in_a_row_and_two_at_once_are_all_searchable(indexed):
    for word in ("zorblax", "quux"):
        index_published([contribution(indexed, f"{word}.md", word)], indexed)
    paths = [contribution(indexed, f"{w}.md", w) for w in ("frobnitz", "glorp")]
    threads = [threading.Thread(target=index_published, args=([p], indexed)) for p in paths]
    [t.start() for t in threads]
    [t.join() for t in threads]
    kb = KnowledgeBase(indexed)
    for word in ("zorblax", "quux", "frobnitz", "glorp"):
        assert [h for h, _ in found(kb, word, "keyword")] == [f"engineering-{word}"]


def test_publish_again_unchanged_keeps_the_live_generation(indexed):
    path = contribution(indexed, "zorblax.md", "zorblax")
    first = index_published([path], indexed)
    again = index_published([path], indexed)
    assert (again.generation, again.documents) == (first.generation, first.documents)


@pytest.mark.slow
def test_publish_mines_the_glossary_afterwards_in_a_new_generation(fake_settings):
    mining = dataclasses.replace(fake_settings, glossary_mining=True)
    run_index([CORPUS], mining)
    path = contribution(mining, "zorblax.md", "zorblax")
    path.write_text(path.read_text() + "\nThe zorblax valve test stand froze the zorblax valve.\n")
    published = index_published([path], mining)
    deadline = time.monotonic() + 120
    while current_generation(mining.kb_dir) == Path(published.generation):
        assert time.monotonic() < deadline, "no generation with the mined glossary"
        time.sleep(0.2)
    terms = KnowledgeBase(mining).store.candidates.with_forms(["zorblax valve"])
    assert [t["term"] for t in terms] == ["zorblax valve"]


def held_for_a_moment(kb_dir) -> threading.Thread:
    """Another writer holding the index lock for half a second from now on."""
    held = threading.Event()

    def hold():
        with index_lock(kb_dir):
            held.set()
            time.sleep(0.5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    return holder


def test_publish_and_index_runs_wait_for_the_writer_holding_the_lock(indexed):
    path = contribution(indexed, "zorblax.md", "zorblax")
    for write in (lambda: index_published([path], indexed), lambda: run_index([CORPUS], indexed)):
        holder = held_for_a_moment(indexed.kb_dir)
        started = time.monotonic()
        write()
        assert time.monotonic() - started >= 0.4
        holder.join()
    assert [h for h, _ in found(KnowledgeBase(indexed), "zorblax", "keyword")] == [
        "engineering-zorblax"
    ]
