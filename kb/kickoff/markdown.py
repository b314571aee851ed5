"""A kickoff pack as Markdown: for wikis, e-mails and the meeting's shared notes."""

from __future__ import annotations

import re
from urllib.parse import quote

from kb.kickoff.model import KickoffPack, PackLesson

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Text that Markdown shows as written (no emphasis, links or HTML from document text)."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def document_link(doc_id: str, title: str, base_url: str = "") -> str:
    if not base_url:
        return f"{escape(title)} (`{doc_id}`)"
    return f"[{escape(title)}]({base_url.rstrip('/')}/documents/{quote(doc_id, safe='')})"


def to_markdown(pack: KickoffPack, base_url: str = "") -> str:
    """The whole pack; with base_url, document titles link to the documents' pages."""
    parts = [_header(pack, base_url), _uncovered(pack)]
    parts += [_themes(pack, base_url), _checklist(pack, base_url)]
    parts += [_glossary(pack), _jargon(pack), _actions(pack, base_url)]
    return "\n\n".join(part for part in parts if part).rstrip() + "\n"


def _header(pack: KickoffPack, base_url: str) -> str:
    facts = [f"Kickoff pack created {pack.created_at.replace('T', ' ').rstrip('Z')} UTC"]
    for label, value in (("department", pack.department), ("phase", pack.phase)):
        if value:
            facts.append(f"{label}: {escape(value)}")
    if pack.tags:
        facts.append("tags: " + ", ".join(escape(t) for t in pack.tags))
    lines = [f"# Kickoff pack: {escape(pack.title)}", "", " · ".join(facts)]
    if pack.id and base_url:
        lines.append(f"Saved at {base_url.rstrip('/')}/kickoff/packs/{pack.id}")
    count = len(pack.lessons)
    lines.append(
        f"\n{count} prior lessons in {len(pack.themes)} themes"
        + (f", {pack.other_department_count} from other departments." if pack.department else ".")
    )
    if pack.hidden:
        lines.append(f"\n*{pack.hidden_note}*")
    return "\n".join(lines)


def _uncovered(pack: KickoffPack) -> str:
    if not pack.uncovered:
        return ""
    lines = ["## Parts of the brief with no matching lessons", ""]
    lines += [f"- {escape(topic.text)}" for topic in pack.uncovered]
    return "\n".join(lines)


def _themes(pack: KickoffPack, base_url: str) -> str:
    blocks = ["## Lessons by theme"]
    for number, theme in enumerate(pack.themes, start=1):
        blocks.append(f"### {number}. {escape(theme.label)}")
        blocks.extend(_lesson(lesson, base_url) for lesson in theme.lessons)
    return "\n\n".join(blocks) if pack.themes else "## Lessons by theme\n\nNo lessons matched."


def _lesson(lesson: PackLesson, base_url: str) -> str:
    marker = " · **other department**" if lesson.other_department else ""
    lines = [
        f"#### {document_link(lesson.id, lesson.title, base_url)}",
        f"{escape(lesson.department)} · {lesson.date}{marker}",
        "",
    ]
    if lesson.advice:
        lines.append(f"**{escape(lesson.advice_section)}:**")
        lines.extend(f"- {escape(point)}" for point in lesson.advice)
        lines.append("")
    lines.append(f"*Why it matched:* {escape(lesson.reason.line)}")
    return "\n".join(lines)


def _checklist(pack: KickoffPack, base_url: str) -> str:
    if not pack.checklist:
        return ""
    lines = ["## Checklist for the kickoff meeting", ""]
    for item in pack.checklist:
        source = document_link(item.doc_id, item.doc_title, base_url)
        lines.append(f"- [ ] {escape(item.text)} (from {source})")
    return "\n".join(lines)


def _glossary(pack: KickoffPack) -> str:
    if not pack.glossary:
        return ""
    lines = ["## Glossary terms in the brief", ""]
    for match in pack.glossary:
        acronym = f" ({escape(match.acronym)})" if match.acronym else ""
        definition = escape(match.definition) or "*no definition yet*"
        lines.append(f"- **{escape(match.label)}**{acronym}: {definition}")
    return "\n".join(lines)


def _jargon(pack: KickoffPack) -> str:
    if not pack.jargon:
        return ""
    lines = ["## Terms with no glossary entry yet", ""]
    for term in pack.jargon:
        hint = f": {escape(term.hint)}" if term.hint else ""
        lines.append(f"- **{escape(term.text)}** ({term.kind}){hint}")
    return "\n".join(lines)


def _actions(pack: KickoffPack, base_url: str) -> str:
    if not pack.actions:
        return ""
    lines = [
        "## Open actions in related retrospectives and meeting notes",
        "",
        "| Action | Owner | Due | Source |",
        "| --- | --- | --- | --- |",
    ]
    for action in pack.actions:
        source = document_link(action.doc_id, action.doc_title, base_url)
        lines.append(
            f"| {escape(action.text)} | {escape(action.owner) or '—'} | {action.due or '—'} "
            f"| {source} |"
        )
    return "\n".join(lines)
