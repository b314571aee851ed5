"""How well kickoff packs find what a careful reader expects: recall and topic coverage.

`examples/briefs/expected.yaml` lists, for each brief, the project's department and the
documents a reader of the corpus expects in its pack; a brief with several distinct risks
also lists each risk's documents under `topics`, and a pack covers a topic when it holds one
of them. Used by benchmarks/eval_kickoff.py and the slow test on the example corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb.kickoff.builder import build_pack
from kb.kickoff.model import DEFAULT_K, KickoffRequest
from kb.knowledge_base import KnowledgeBase


@dataclass(frozen=True)
class Expectation:
    brief: str  # file name in the briefs folder
    department: str
    expected: tuple[str, ...]
    topics: dict[str, tuple[str, ...]] = field(default_factory=dict)  # risk -> its documents


@dataclass(frozen=True)
class BriefResult:
    brief: str
    department: str
    expected: tuple[str, ...]
    found: tuple[str, ...]  # the pack's lessons, in pack order
    other_departments: int
    topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    uncovered_parts: int = 0  # brief topics the pack says found nothing

    @property
    def covered_topics(self) -> list[str]:
        return [name for name, docs in self.topics.items() if set(docs) & set(self.found)]

    @property
    def missed_topics(self) -> list[str]:
        return [name for name in self.topics if name not in self.covered_topics]

    @property
    def recall(self) -> float:
        return len(set(self.expected) & set(self.found)) / max(1, len(self.expected))

    @property
    def missing(self) -> list[str]:
        return [doc_id for doc_id in self.expected if doc_id not in self.found]


def load_expectations(path: Path) -> list[Expectation]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [
        Expectation(
            name,
            entry.get("department", ""),
            tuple(entry["expected"]),
            {topic: tuple(docs) for topic, docs in (entry.get("topics") or {}).items()},
        )
        for name, entry in data.items()
    ]


def evaluate(
    kb: KnowledgeBase, briefs_dir: Path, expectations: list[Expectation], k: int = DEFAULT_K
) -> list[BriefResult]:
    """One pack per brief (no glossary), compared with what was expected."""
    results = []
    for item in expectations:
        text = (Path(briefs_dir) / item.brief).read_text(encoding="utf-8")
        pack = build_pack(kb, KickoffRequest(text, department=item.department, k=k))
        found = tuple(lesson.id for lesson in pack.lessons)
        results.append(
            BriefResult(
                item.brief,
                item.department,
                item.expected,
                found,
                pack.other_department_count,
                item.topics,
                len(pack.uncovered),
            )
        )
    return results


def mean_recall(results: list[BriefResult]) -> float:
    return sum(r.recall for r in results) / max(1, len(results))


def topic_coverage(results: list[BriefResult]) -> tuple[int, int]:
    """(topics covered, topics listed) over every brief that lists topics."""
    listed = sum(len(r.topics) for r in results)
    return sum(len(r.covered_topics) for r in results), listed
