"""Related lessons: documents that share a lesson's distinctive words and meaning, or name it.

lessons.py    the entry point (`related_lessons`), results and their passages
meaning.py    chunk-to-chunk embedding neighbours
ranking.py    words and meaning fused, named documents first, departments diversified
citations.py  a lesson naming another by title, address or number
reasons.py    the shared terms shown as a reason, as an editor would keep them
"""

from kb.related.lessons import Passage, RelatedLesson, RelatedSources, related_lessons

__all__ = ["Passage", "RelatedLesson", "RelatedSources", "related_lessons"]
