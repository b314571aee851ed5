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
        "Engineering": "the {} pipeline deployed the build to production servers after canary checks",
        "HR": "the staff {} form needs a manager signature before payroll closes",
    },
    "handover": {
        "Engineering": "the on-call {} covered rollback alarms and dashboards",
        "HR": "the {} meeting welcomed new hires with contracts and benefits",
    },
    "budget": {
        "Engineering": "the {} covered the vendor contract and licences for the year",
        "HR": "the {} covered the vendor contract and licences for the year",
    },
}
FILLER = ["Notes from week {n}.", "Written after review {n}.", "Shared with the team {n}."]


def documents(per_department: dict[str, int], terms=tuple(SENSES)) -> list[tuple[str, str, str]]:
    """(doc id, department, text) for `per_department` documents each, using `terms`."""
    out = []
    for department, count in per_department.items():
        for n in range(count):
            sentences = [SENSES[t][department].format(t).capitalize() + "." for t in terms]
            text = " ".join([FILLER[n % 3].format(n=n), *sentences])
            out.append((f"{department.lower()}-{n}", department, text))
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


def write_markdown(root: Path, docs: list[tuple[str, str, str]]) -> Path:
    """The documents as Markdown files with front matter, for `kb index`."""
    for doc_id, department, text in docs:
        path = root / f"{doc_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = f"---\nid: {doc_id}\ntitle: Note {doc_id}\ntype: lesson\ndepartment: {department}\ndate: 2024-01-01\n---\n"
        path.write_text(f"{front}\n{text}\n", encoding="utf-8")
    return root


def build_senses_index(base: Path, docs: list[tuple[str, str, str]]) -> Settings:
    """An index of `docs` (fake embedder) whose candidates are the SENSES terms, ranked."""
    settings = Settings(kb_dir=base / "kb", embedder="fake", progress=False, glossary_mining=False)
    run = run_index([write_markdown(base / "corpus", docs)], settings)
    assert not run.errors, run.errors
    set_candidates(settings, candidate_rows(docs))
    return settings
