"""Action items: `- [ ] text (owner: Name, due: 2024-03-15)` lines in an Actions section."""

from __future__ import annotations

import re

from kb.documents.schema import Action, Document

_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[(?P<mark>[ xX])\]\s*)?(?P<body>.+)$")
_OWNER = re.compile(r"\b(?:owner|owners|assignee|who)\s*[:=]\s*(?P<value>[^,;)]+)", re.I)
_DUE = re.compile(r"\b(?:due|by|deadline)\s*[:=]?\s*(?P<value>\d{4}-\d{2}-\d{2})", re.I)
_PARENS = re.compile(r"\s*\((?=[^)]*\b(?:owner|due|assignee|who|deadline)\b)[^)]*\)\s*$", re.I)


def extract_actions(doc: Document) -> list[Action]:
    section = doc.section("actions")
    if section is None:
        return []
    actions = []
    for line in section.text.splitlines():
        match = _ITEM.match(line)
        if match:
            actions.append(parse_action(match.group("body"), match.group("mark")))
    return actions


def parse_action(body: str, mark: str | None = None) -> Action:
    owner = _OWNER.search(body)
    due = _DUE.search(body)
    text = _PARENS.sub("", body).strip()
    return Action(
        text=text,
        owner=owner.group("value").strip() if owner else "",
        due=due.group("value") if due else "",
        done=bool(mark and mark.lower() == "x"),
    )
