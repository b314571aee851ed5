"""`kb new`: a ready-to-fill Markdown file for each document type."""

from __future__ import annotations

import datetime as dt

import yaml

from kb.documents.lifecycle import DEFAULT_STATUS
from kb.documents.schema import DOC_TYPES, SECTION_SPECS

# Prompts shown inside each new section; HTML comments are dropped when the file is parsed.
PROMPTS = {
    "summary": "Two or three sentences a busy reader can act on.",
    "context": "The project, the situation and the constraints at the time.",
    "what_happened": "The facts, in order. What was expected and what actually happened.",
    "lesson": "What we know now that we did not know then. One idea per paragraph.",
    "recommendation": "What another team should do differently. Start each line with a verb.",
    "evidence": "Figures, links, tickets and documents that back the lesson.",
    "goals": "What we set out to achieve and how we would have measured it.",
    "went_well": "What worked and should be repeated.",
    "did_not_go_well": "What did not work, and what it cost.",
    "surprises": "What nobody expected.",
    "actions": "- [ ] An action (owner: Name, due: YYYY-MM-DD)",
    "lessons": "What other teams should take away from this.",
    "agenda": "1. First topic",
    "discussion": "The main points raised, and by whom.",
    "decisions": "- A decision and its reason.",
    "risks": "- A risk, its likelihood and who watches it.",
}


def new_document(
    doc_type: str, title: str = "", department: str = "", date: dt.date | None = None
) -> str:
    spec = DOC_TYPES[doc_type]
    meta = {
        "title": title or f"TODO: name this {spec.label.lower()}",
        "type": doc_type,
        "department": department or "TODO: your department",
        "date": (date or dt.date.today()).isoformat(),
        "project": "",
        spec.people_field: [],
        "tags": [],
        "status": DEFAULT_STATUS,
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True).strip()
    parts = [f"---\n{front}\n---\n"]
    for key in ("summary", *spec.sections):
        parts.append(f"## {SECTION_SPECS[key].heading}\n\n<!-- {PROMPTS[key]} -->\n")
    return "\n".join(parts)
