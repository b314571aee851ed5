"""Themes: how many, how lessons are grouped, and how each theme is named."""

from __future__ import annotations

import numpy as np

from kb.kickoff.model import PackLesson
from kb.kickoff.themes import ThemeInputs, cluster, group_lessons, theme_count


def lesson(doc_id: str, score: float) -> PackLesson:
    return PackLesson(doc_id, doc_id.title(), "lesson", "Finance", "2024-01-01", score)


def test_kickoff_themes_count_is_a_handful():
    assert [theme_count(n) for n in (1, 4, 5, 9, 12, 20, 30, 100)] == [1, 1, 2, 3, 3, 4, 5, 5]


def test_kickoff_themes_cluster_separates_distinct_directions():
    rng = np.random.default_rng(7)
    axes = np.eye(8)
    vectors = [axes[i // 4] + 0.05 * rng.standard_normal(8) for i in range(12)]
    groups = sorted(sorted(group) for group in cluster(vectors))
    assert groups == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]


def test_kickoff_themes_are_named_glossary_first_then_tags_then_phrases():
    lessons = [lesson(f"doc-{i}", 1.0 - i / 10) for i in range(6)]
    vectors = {f"doc-{i}": np.eye(4)[0 if i < 3 else 1] for i in range(6)}
    texts = {
        **{
            f"doc-{i}": "The change freeze held. The shift handover log was late." for i in range(3)
        },
        **{f"doc-{i}": "Purchase orders and vendor lead times, again." for i in range(3, 6)},
    }
    tags = {**{f"doc-{i}": ["release management"] for i in range(3)}}
    tags.update({f"doc-{i}": ["vendor delays", "Procurement"] for i in range(3, 6)})
    inputs = ThemeInputs(
        texts,
        tags,
        glossary_forms={"change freeze": "Change freeze"},
        phrases={"shift handover": "shift handover", "vendor lead times": "vendor lead times"},
        df={"shift handover": 3, "vendor lead times": 2},
        documents=70,
    )
    themes = group_lessons(lessons, vectors, inputs)
    assert [t.terms for t in themes] == [
        ["Change freeze", "release management", "shift handover"],
        ["Procurement", "vendor delays", "vendor lead times"],  # equal tags: alphabetical
    ]
    assert themes[0].label == "Change freeze · release management · shift handover"
    assert themes[1].label == "Procurement · vendor delays · vendor lead times"
    assert [m.id for m in themes[0].lessons] == ["doc-0", "doc-1", "doc-2"]


def test_kickoff_themes_small_pack_is_one_theme_named_by_its_best_lesson():
    lessons = [lesson("a", 0.9), lesson("b", 0.5)]
    vectors = {"a": np.eye(3)[0], "b": np.eye(3)[1]}
    inputs = ThemeInputs({"a": "alpha", "b": "beta"}, {"a": [], "b": []})
    themes = group_lessons(lessons, vectors, inputs)
    assert len(themes) == 1
    assert themes[0].label == "A"
