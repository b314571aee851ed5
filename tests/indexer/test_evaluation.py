import json
import math

import pytest

from indexer.evaluation import (
    build_index,
    evaluate,
    load_qrels,
    load_queries,
    ndcg_at,
    recall_at,
    write_trec_run,
)


def test_evaluation_ndcg_matches_hand_computation():
    relevant = {"a": 1, "b": 2}
    # b at rank 1 (gain 2), a at rank 3 (gain 1 / log2(4)); ideal: 2 then 1 / log2(3)
    expected = (2 + 1 / 2) / (2 + 1 / math.log2(3))
    assert ndcg_at(["b", "x", "a"], relevant) == pytest.approx(expected)
    assert ndcg_at(["x", "y"], relevant) == 0.0
    assert ndcg_at(["b", "a"], relevant) == pytest.approx(1.0)


def test_evaluation_recall_counts_relevant_in_top_k():
    assert recall_at(["a", "x", "b"], {"a": 1, "b": 1, "c": 1}, k=2) == pytest.approx(1 / 3)


@pytest.fixture
def beir(tmp_path):
    corpus = [
        {"_id": "d1", "title": "Vitamin D and bone density", "text": "Vitamin D supplements raise bone density in older adults."},
        {"_id": "d2", "title": "Sleep and memory", "text": "Deep sleep consolidates memory in rodents."},
        {"_id": "d3", "title": "", "text": "Statins lower cholesterol and cardiovascular risk."},
    ]  # fmt: skip
    queries = [{"_id": "q1", "text": "vitamin D bone density"}, {"_id": "q2", "text": "statins cholesterol"},
               {"_id": "q3", "text": "an unjudged query"}]  # fmt: skip
    (tmp_path / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in corpus))
    (tmp_path / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries))
    (tmp_path / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n")
    return tmp_path


def test_evaluation_runs_judged_queries_and_writes_a_trec_run(beir, fake_settings):
    kb = build_index(beir / "corpus.jsonl", beir / "index", fake_settings)
    queries, qrels = load_queries(beir / "queries.jsonl"), load_qrels(beir / "qrels.tsv")
    scores = evaluate(kb, queries, qrels, "keyword")
    assert scores.queries == 2  # the unjudged query is not scored
    assert scores.ndcg_at_10 == pytest.approx(1.0) and scores.recall_at_100 == pytest.approx(1.0)
    run_file = beir / "run.tsv"
    write_trec_run(scores, run_file)
    first = run_file.read_text().splitlines()[0].split()
    assert first[:4] == ["q1", "Q0", "d1", "1"] and first[5] == "lessonbase-keyword"
    float(first[4])


def test_evaluation_cli_prints_figures_per_mode(beir, tmp_path):
    from typer.testing import CliRunner

    from kb.cli import app

    args = ["eval", "retrieval", "--corpus", beir / "corpus.jsonl", "--queries", beir / "queries.jsonl",
            "--qrels", beir / "qrels.tsv", "--mode", "all", "--run-out", tmp_path / "run.tsv"]  # fmt: skip
    result = CliRunner().invoke(
        app, [str(a) for a in args], env={"KB_EMBEDDER": "fake", "KB_GLOSSARY_MINING": "0"}
    )
    assert result.exit_code == 0, result.output
    for mode in ("hybrid", "keyword", "semantic"):
        assert f"{mode}" in result.output and (tmp_path / f"run.{mode}.tsv").exists()
    assert "nDCG@10 1.0000" in result.output
