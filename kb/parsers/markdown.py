"""Markdown with YAML front matter: the primary, human-written format."""

from __future__ import annotations

import re

import frontmatter
import yaml

from kb.parsers.base import ParseContext, ParsedFile

_HEADING = re.compile(r"^(#{1,2})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def parse(text: str, ctx: ParseContext) -> ParsedFile:
    result = ParsedFile(ctx.path)
    try:
        metadata, body = frontmatter.parse(text)
    except yaml.YAMLError as exc:
        # An unclosed bracket or quote is noticed far below; where it opened is more useful.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        # The YAML text starts on the opening '---' line, and YAML counts lines from zero.
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return ParsedFile.failed(ctx.path, f"malformed YAML front matter: {problem}", line=line)
    if not isinstance(metadata, dict):
        return ParsedFile.failed(ctx.path, "front matter must be a YAML mapping of fields", line=2)
    # Comments are writing prompts (see `kb new`), not content.
    title, sections = split_sections(_COMMENT.sub("", body), ctx.mapping.body_section)
    record = dict(metadata)
    if title and not record.get("title"):
        record["title"] = title
    existing = record.get("sections")
    if isinstance(existing, dict):
        sections = [*existing.items(), *sections]
    record["sections"] = sections
    result.add_record(ctx, record, line=None, row=None)
    return result


def split_sections(body: str, lead_section: str = "summary") -> tuple[str, list[tuple[str, str]]]:
    """(H1 title or '', [(heading, text)]) from a Markdown body; `##` headings start sections."""
    title = ""
    sections: list[tuple[str, list[str]]] = [(lead_section, [])]
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match and len(match.group(1)) == 1 and not title:
            title = match.group(2)
        elif match and len(match.group(1)) == 2:
            sections.append((match.group(2), []))
        else:
            sections[-1][1].append(line)
    pairs = [(heading, "\n".join(lines).strip()) for heading, lines in sections]
    return title, [(h, t) for h, t in pairs if t]
