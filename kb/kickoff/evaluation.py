"""How well kickoff packs find what a careful reader expects: recall per brief.

`examples/briefs/expected.yaml` lists, for each brief, the project's department and the
documents a reader of the corpus expects in its pack. Used by benchmarks/eval_kickoff.py and
the slow test on the example corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class BriefResult:
    brief: str
    department: str
    expected: tuple[str, ...]
    found: tuple[str, ...]  # the pack's lessons, in pack order
    other_departments: int

    @property
    def recall(self) -> float:
        return len(set(self.expected) & set(self.found)) / max(1, len(self.expected))

    @property
    def missing(self) -> list[str]:
        return [doc_id for doc_id in self.expected if doc_id not in self.found]


def load_expectations(path: Path) -> list[Expectation]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [
        Expectation(name, entry.get("department", ""), tuple(entry["expected"]))
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
                item.brief, item.department, item.expected, found, pack.other_department_count
            )
        )
    return results


def mean_recall(results: list[BriefResult]) -> float:
    return sum(r.recall for r in results) / max(1, len(results))
