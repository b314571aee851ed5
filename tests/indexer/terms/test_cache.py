"""`kb index` mines glossary candidates incrementally through KB_DIR/cache/mining.sqlite."""

from __future__ import annotations

import shutil
import zlib
from collections import Counter
from contextlib import closing

import numpy as np
import pytest

from indexer import run_index
from indexer.terms.boosted import ScoreMemo
from indexer.terms.cache import (
    CacheOwnerGoneError,
    MiningCache,
    decode_counts,
    encode_counts,
    mining_cache_path,
)
from indexer.terms.doc_counts import DocCounts, Tally
from indexer.terms.ranking import load_model
from tests.conftest import EXAMPLES, markdown_doc
from tests.indexer.terms.support import candidates, settings_for

DOCS = {
    "ops/dns.md": ("Operations", "Our root cause analysis (RCA) found a stale DNS record."),
    "ops/pager.md": ("Operations", "The RCA showed the pager rota had a gap over the weekend."),
    "eng/racks.md": ("Engineering", "The rack vendor missed the DNS cut-over; the RCA said why."),
}


@pytest.fixture
def corpus(write_doc):
    for name, (department, text) in DOCS.items():
        write_doc(name, markdown_doc(department=department, sections={"Lesson": text}))
    return write_doc


def edit_one_file(corpus) -> None:
    text = "The pager rota now has a named backup; the RCA is closed."
    corpus("ops/pager.md", markdown_doc(department="Operations", sections={"Lesson": text}))


def test_cache_changed_file_is_the_only_one_parsed_and_candidates_match_a_fresh_index(
    corpus, nlp, tmp_path
):
    settings = settings_for(tmp_path / "kb")
    first = run_index([corpus.root], settings)
    assert (first.glossary_texts_parsed, first.glossary_documents_reused) == (3, 0)
    edit_one_file(corpus)
    again = run_index([corpus.root], settings)
    assert (again.glossary_texts_parsed, again.glossary_documents_reused) == (1, 2)
    fresh = settings_for(tmp_path / "fresh")
    run_index([corpus.root], fresh)
    assert candidates(settings) == candidates(fresh) and candidates(settings)


def test_cache_corrupt_file_warns_and_mines_everything(corpus, nlp, tmp_path):
    settings = settings_for(tmp_path / "kb")
    run_index([corpus.root], settings)
    mining_cache_path(settings.kb_dir).write_bytes(b"\x00not a database\x00" * 64)
    edit_one_file(corpus)
    run = run_index([corpus.root], settings)
    assert run.errors == [] and run.glossary_texts_parsed == 3
    assert any("glossary cache cannot be opened" in p.message for p in run.problems)
    fresh = settings_for(tmp_path / "fresh")
    run_index([corpus.root], fresh)
    assert candidates(settings) == candidates(fresh)


def test_cache_rebuild_starts_from_an_empty_cache(corpus, nlp, tmp_path):
    settings = settings_for(tmp_path / "kb")
    run_index([corpus.root], settings)
    rebuilt = run_index([corpus.root], settings, rebuild=True)
    assert (rebuilt.glossary_texts_parsed, rebuilt.glossary_documents_reused) == (3, 0)


@pytest.mark.slow
def test_cache_real_pipeline_incremental_candidates_match_a_fresh_index(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLES / "corpus", folder)
    settings = settings_for(tmp_path / "kb")
    run_index([folder], settings)
    changed = sorted(folder.rglob("*.md"))[0]
    changed.write_text(changed.read_text() + "\nThe on-call runbook now names a backup.\n")
    again = run_index([folder], settings)
    assert again.glossary_texts_parsed == 1
    fresh = settings_for(tmp_path / "fresh")
    run_index([folder], fresh)
    assert candidates(settings) == candidates(fresh)


def test_cache_counts_survive_the_encoding_whatever_their_strings():
    numbers = {name: [i + 1, i + 2] for i, name in enumerate(DocCounts().numbers)}
    numbers["count"] = [2, 1]
    counts = DocCounts(
        ["straße", "bad\udcff"], ["straße", "bad\udcff"], numbers, [1.5, 0.25],
        Tally([0, 1], ["NOUN", "PROPN NOUN"], [2, 1]), Counter({"straße": 3, "bad\udcff": 1}),
        7, ["Die Straße.", "A bad\udcff line."],
    )  # fmt: skip
    back = decode_counts(encode_counts(counts))
    assert (back.surfaces, back.lemmas, back.contexts) == (
        counts.surfaces,
        counts.lemmas,
        counts.contexts,
    )
    assert {k: list(v) for k, v in back.numbers.items()} == numbers
    assert list(back.english_context) == counts.english_context and back.n_tokens == 7
    assert (list(back.pos_patterns.owners), back.pos_patterns.keys, list(back.pos_patterns.counts)) == (
        [0, 1], ["NOUN", "PROPN NOUN"], [2, 1])  # fmt: skip
    assert back.word_counts == counts.word_counts
    with pytest.raises(ValueError):  # a header cut short: refused, so the text is parsed again
        decode_counts(zlib.compress(b"\x08\x00\x00\x00\x07\x00\x00\x00[[],[],["))


def test_cache_is_not_written_once_its_index_run_is_gone(tmp_path):
    path = tmp_path / "mining.sqlite"
    run_alive = True
    cache = MiningCache(path, still_wanted=lambda: run_alive)
    cache.save_zipf("ref", {"pump": 3.5})
    run_alive = False  # the index run that started this process was killed
    with pytest.raises(CacheOwnerGoneError):
        cache.save_zipf("ref", {"seal": 2.0})
    cache.close()
    with closing(MiningCache(path)) as reopened:
        assert reopened.load_zipf("ref") == {"pump": 3.5}


def test_cache_keeps_scores_for_one_model_and_zipf_values(tmp_path):
    model = load_model()
    memo = ScoreMemo(model.digest)
    memo.raw_scores(model, np.random.default_rng(0).normal(0, 2, (30, len(model.feature_names))))
    path = tmp_path / "mining.sqlite"
    with closing(MiningCache(path)) as cache:
        cache.save_scores(memo)
        cache.save_zipf("wordfreq-test", {"valve": 3.5, "bad\udcff": 1.0, "zzqx": 0.0})
    with closing(MiningCache(path)) as cache:
        assert cache.load_scores(model.digest).scores == memo.scores
        assert cache.load_scores("another-model").scores == {}
        assert cache.load_zipf("wordfreq-test") == {"valve": 3.5, "zzqx": 0.0}
        assert cache.load_zipf("wordfreq-other") == {}
        assert cache.warnings == []
