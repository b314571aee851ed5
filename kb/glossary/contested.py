"""A hint for editors: candidates that departments use in different senses.

For each candidate used by two or more departments, the words around it in each department's
context sentences form a bag of words (the term's own words and stopwords left out). If two
departments' bags have a low cosine similarity, the same word probably means different things
to them ("release" to Engineering and to HR).
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

from kb.glossary.model import Candidate, ContestedTerm, DepartmentUsage
from kb.text import CONTEXT_STOPWORDS, prose_words

THRESHOLD = 0.15
WORDS_SHOWN = 5


def words(text: str) -> list[str]:
    return [w.strip("'-") for w in prose_words(text.casefold()) if len(w.strip("'-")) > 1]


def cosine(a: Counter, b: Counter) -> float:
    dot = sum(count * b[word] for word, count in a.items() if word in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def department_bags(candidate: Candidate, doc_departments: dict[str, str]) -> dict[str, Counter]:
    """Per department, the context words around the candidate (not its own words, no stopwords)."""
    own = {
        w
        for form in (
            candidate.term,
            *candidate.surface_forms,
            candidate.acronym,
            candidate.expansion,
        )
        for w in words(form)
    }
    bags: dict[str, Counter] = {}
    for context in candidate.contexts:
        department = doc_departments.get(context.doc_id)
        if department is None:
            continue
        kept = [w for w in words(context.sentence) if w not in own and w not in CONTEXT_STOPWORDS]
        bags.setdefault(department, Counter()).update(kept)
    return {department: bag for department, bag in bags.items() if bag}


def contested(
    candidate: Candidate, doc_departments: dict[str, str], threshold: float = THRESHOLD
) -> ContestedTerm | None:
    bags = department_bags(candidate, doc_departments)
    if len(bags) < 2:
        return None
    lowest = min(cosine(bags[a], bags[b]) for a, b in combinations(sorted(bags), 2))
    if lowest >= threshold:
        return None
    usage = tuple(
        DepartmentUsage(
            department,
            tuple(w for w, _ in sorted(bag.items(), key=lambda kv: (-kv[1], kv[0]))[:WORDS_SHOWN]),
        )
        for department, bag in sorted(bags.items())
    )
    return ContestedTerm(candidate.term, candidate.display, round(lowest, 3), usage)


def contested_terms(
    candidates: list[Candidate], doc_departments: dict[str, str], threshold: float = THRESHOLD
) -> list[ContestedTerm]:
    """Candidates with markedly different contexts between departments, most different first."""
    found = [c for c in (contested(cand, doc_departments, threshold) for cand in candidates) if c]
    return sorted(found, key=lambda c: (c.similarity, c.term))
