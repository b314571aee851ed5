"""The names phase of `kb index`: spaCy's person names, kept only where written like names,
stored for each document; an index built without them gets them on its next run."""

from __future__ import annotations

import dataclasses

import pytest

from indexer import run_index
from indexer.people import Corpus, person_names
from kb.index.generations import DB_NAME, current_generation
from kb.index.store import Store
from kb.knowledge_base import KnowledgeBase
from tests.kb.redaction_corpus import OUTSIDER, build_redaction_index


def stored_names(kb_dir) -> dict[str, tuple[str, ...] | None]:
    store = Store(current_generation(kb_dir) / DB_NAME, read_only=True)
    try:
        found = store.person_names.people(["cutover", "budget"])
        return {doc_id: people.text_names for doc_id, people in found.items()}
    finally:
        store.close()


def test_people_index_without_redaction_reads_no_names(tmp_path):
    build_redaction_index(tmp_path)  # indexed without redaction
    assert stored_names(tmp_path / "kb") == {"cutover": None, "budget": None}


@pytest.mark.slow  # loads spaCy's English pipeline
def test_people_recognizer_names_kept_and_title_case_phrases_dropped():
    from indexer.terms.spacy_pipeline import entity_pipeline

    text = (
        "Grace Mbeki inspected the Ball Joints after the test. The ball joints were worn, "
        "so Grace asked Engineering for new ones."
    )
    found = person_names(
        entity_pipeline()(text), text, Corpus(not_names=frozenset({"engineering"}))
    )
    assert "Grace Mbeki" in found
    assert not {"Ball Joints", "Engineering"} & set(found)


@pytest.mark.slow  # loads spaCy's English pipeline
def test_people_next_run_reads_names_of_an_index_built_without(tmp_path):
    settings = build_redaction_index(tmp_path)  # served with redaction, built without names
    run = run_index([tmp_path / "corpus"], settings)
    assert run.person_names_read == 2 and not run.generation_kept
    names = stored_names(settings.kb_dir)
    assert {"Jenna Cole", "Ravi Menon", "Kwame Asante"} <= set(names["cutover"])
    view = KnowledgeBase(settings).document("cutover", OUTSIDER)
    assert view.names_hidden and view.text_names_read
    again = run_index([tmp_path / "corpus"], dataclasses.replace(settings))
    assert again.generation_kept and again.person_names_read == 0
