"""txtai's side of bench_vs_txtai.py; runs with .bench/txtai-venv/bin/python, never the project's.

Reads one JSON request on stdin and prints one JSON answer as its last stdout line:

- {"action": "index", "docs": JSONL of {"id", "text"}, "index": DIR, "model": MODEL_DIR}
  builds `Embeddings(path=MODEL_DIR, hybrid=True, content=True)` (txtai's defaults otherwise:
  BM25 keyword scoring, Faiss, 0.5/0.5 score fusion), indexes the documents and saves it to DIR.
  Timed: from reading the JSONL to the saved index, model load included, imports excluded.
- {"action": "query", "index": DIR, "warmup": [...], "timed": [...], "judged": [...], "k": N}
  loads the index, runs the warm-up queries, then each timed query once with
  `embeddings.search(query, 10)` (milliseconds each), then the judged queries with limit k
  (untimed, ids only).

Imports nothing from Lessonbase, so it runs in a venv that only has txtai.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from txtai import Embeddings  # noqa: E402


def read_docs(path: str):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def build(request: dict) -> dict:
    started = time.perf_counter()
    embeddings = Embeddings(path=request["model"], hybrid=True, content=True)
    embeddings.index(read_docs(request["docs"]))
    embeddings.save(request["index"])
    seconds = time.perf_counter() - started
    config = {
        k: embeddings.config.get(k) for k in ("path", "backend", "scoring", "hybrid", "build")
    }
    return {"seconds": seconds, "documents": embeddings.count(), "config": config}


def search_ids(embeddings: Embeddings, query: str, limit: int) -> list[str]:
    return [str(hit["id"]) for hit in embeddings.search(query, limit)]


def query(request: dict) -> dict:
    embeddings = Embeddings()
    embeddings.load(request["index"])
    for text in request["warmup"]:
        embeddings.search(text, 10)
    timings = []
    for text in request["timed"]:
        started = time.perf_counter()
        embeddings.search(text, 10)
        timings.append((time.perf_counter() - started) * 1000)
    ranked = [search_ids(embeddings, text, request["k"]) for text in request["judged"]]
    return {"timings_ms": timings, "ranked": ranked}


def main() -> None:
    request = json.loads(sys.stdin.read())
    answer = build(request) if request["action"] == "index" else query(request)
    answer["txtai_version"] = importlib.metadata.version("txtai")
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
