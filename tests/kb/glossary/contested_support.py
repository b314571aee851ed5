"""A corpus where departments use the same words in different senses, for contested terms:
each department's documents use a term with that department's words around it."""

from __future__ import annotations

from pathlib import Path

from indexer import run_index
from kb.glossary.model import Candidate
from kb.settings import Settings
from tests.kb.glossary.glossary_support import candidate, set_candidates

# term -> department -> the words around it there ("budget" is used alike everywhere)
SENSES = {
    "release": {
        "Engineering": "pipeline deployed build production servers canary",
        "HR": "staff form manager signature payroll closes",
    },
    "handover": {
        "Engineering": "on-call rollback alarms dashboards pager shift",
        "HR": "meeting welcomed hires contracts benefits induction",
    },
    "budget": {
        "Engineering": "vendor contract licences year quarter spend",
        "HR": "vendor contract licences year quarter spend",
    },
}
# A word of each document's own, so no two documents' contexts are copies of each other.
SITES = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()


def sentence(term: str, department: str, n: int) -> str:
    """The n-th document's sentence using `term` in `department`'s sense: four of the
    sense's words, each document its own choice and order, its site among them (no run of
    five words is shared, so no two documents quote one passage)."""
    pool = SENSES[term][department].split()
    chosen = [pool[(n + k * (1 + n // len(pool))) % len(pool)] for k in range(4)]
    site = SITES[n % len(SITES)]
    return f"At {site} the {term} {chosen[0]} {site} {chosen[1]} {chosen[2]} {site} {chosen[3]}"


def documents(
    per_department: dict[str, int], terms=tuple(SENSES), background: int = 12
) -> list[tuple[str, str, str]]:
    """(doc id, department, text): for each of `terms`, `per_department` documents in each
    department that use it, and `background` documents per department that use none: as in
    a real corpus, a department's words around a term are not in most of its documents."""
    out = [
        (f"{department.lower()}-{n}", department, f"Week report. At {site} nothing was noted.")
        for department in per_department
        for n, site in enumerate((SITES * 3)[:background])
    ]
    for term in terms:
        for department, count in per_department.items():
            for n in range(count):
                text = f"Week report. {sentence(term, department, n)}."
                out.append((f"{term}-{department.lower()}-{n}", department, text))
    return out


def candidates_of(docs: list[tuple[str, str, str]], terms=tuple(SENSES)) -> list[Candidate]:
    return [Candidate.from_row(row) for row in candidate_rows(docs, terms)]


def candidate_rows(docs: list[tuple[str, str, str]], terms=tuple(SENSES)) -> list[dict]:
    """term_candidates rows for `terms` as the miner would write them over `docs`."""
    rows = []
    for rank, term in enumerate(terms, start=1):
        using = [(doc_id, dept) for doc_id, dept, text in docs if term in text.casefold()]
        departments: dict[str, int] = {}
        for _, dept in using:
            departments[dept] = departments.get(dept, 0) + 1
        contexts = [(doc_id, f"The {term}.") for doc_id, _ in using]
        rows.append(candidate(term, rank, contexts, departments))
    return rows


def write_markdown(
    root: Path, docs: list[tuple[str, str, str]], restricted: frozenset[str] = frozenset()
) -> Path:
    """The documents as Markdown files with front matter, for `kb index`; those whose id is
    in `restricted` declare that level (the others none)."""
    for doc_id, department, text in docs:
        path = root / f"{doc_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        level = "sensitivity: restricted\n" if doc_id in restricted else ""
        front = f"---\nid: {doc_id}\ntitle: Note {doc_id}\ntype: lesson\ndepartment: {department}\ndate: 2024-01-01\n{level}---\n"
        path.write_text(f"{front}\n{text}\n", encoding="utf-8")
    return root


def build_senses_index(
    base: Path, docs: list[tuple[str, str, str]], restricted: frozenset[str] = frozenset()
) -> Settings:
    """An index of `docs` (fake embedder) whose candidates are the SENSES terms, ranked;
    the documents named in `restricted` are restricted to their department."""
    settings = Settings(kb_dir=base / "kb", embedder="fake", progress=False, glossary_mining=False)
    run = run_index([write_markdown(base / "corpus", docs, restricted)], settings)
    assert not run.errors, run.errors
    set_candidates(settings, candidate_rows(docs))
    return settings
