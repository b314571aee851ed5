"""Markdown with YAML front matter: the primary, human-written format.

Front matter is split here rather than by python-frontmatter: an opening `---` with no closing
one is reported as such (python-frontmatter reads the whole file as body, so the problem came
out as "missing required field 'title'"), and the YAML goes to the bounded loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.documents.parsers.base import ParseContext, ParsedFile
from kb.documents.safe_yaml import YamlInputError, load_yaml

_FENCE = re.compile(r"^\s*(```|~~~)")
_DELIMITER = re.compile(r"-{3,}")


def parse(text: str, ctx: ParseContext) -> ParsedFile:
    front = split_front_matter(text)
    if front.unclosed_at:
        return ParsedFile.failed(
            ctx.path,
            "front matter is not closed: the opening '---' has no closing '---' line",
            line=front.unclosed_at,
        )
    body = strip_comments(front.body)  # comments are writing prompts (see `kb new`), not content
    limit = ctx.limits.max_document_chars
    if len(body) > limit:
        return ParsedFile.failed(
            ctx.path, f"document text is {len(body):,} characters; the limit is {limit:,}"
        )
    try:
        metadata, key_lines = _metadata(front, ctx)
    except YamlInputError as exc:
        return ParsedFile.failed(ctx.path, exc.message, line=exc.line)
    title, sections = split_sections(body, ctx.mapping.body_section)
    record = dict(metadata)
    if title and not record.get("title"):
        record["title"] = title
    existing = record.get("sections")
    if isinstance(existing, dict):
        sections = [*existing.items(), *sections]
    record["sections"] = sections
    result = ParsedFile.for_file(ctx)
    result.add_record(ctx, record, line=None, row=None, field_lines=key_lines)
    return result


@dataclass(frozen=True)
class FrontMatter:
    """The YAML between the first two `---` lines and the body after them. first_line: the
    file line the YAML starts on (0: no front matter); unclosed_at: the opening line when no
    closing one follows."""

    yaml_text: str
    body: str
    first_line: int
    unclosed_at: int = 0


def split_front_matter(text: str) -> FrontMatter:
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not _is_delimiter(lines[start].lstrip()):
        return FrontMatter("", text, 0)
    end = next((i for i in range(start + 1, len(lines)) if _is_delimiter(lines[i])), None)
    if end is None:
        return FrontMatter("", "", 0, unclosed_at=start + 1)
    return FrontMatter("".join(lines[start + 1 : end]), "".join(lines[end + 1 :]), start + 2)


def _is_delimiter(line: str) -> bool:
    return _DELIMITER.fullmatch(line.rstrip()) is not None


def _metadata(front: FrontMatter, ctx: ParseContext) -> tuple[dict, dict[str, int]]:
    """The front matter's fields and the file line of each; YamlInputError naming the line."""
    if not front.first_line:
        return {}, {}
    offset = front.first_line - 1  # YAML line 1 is the line after the opening '---'
    _check_front_matter_size(front.yaml_text, offset, ctx)
    try:
        data, key_lines = load_yaml(front.yaml_text, ctx.limits.max_depth)
    except YamlInputError as exc:
        line = exc.line + offset if exc.line else offset
        if exc.malformed:
            raise YamlInputError(f"malformed YAML front matter: {exc.message}", line) from None
        raise YamlInputError(f"{exc.message} in front matter", line) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise YamlInputError("front matter must be a YAML mapping of fields", front.first_line)
    return data, {name: line + offset for name, line in key_lines.items()}


def _check_front_matter_size(yaml_text: str, offset: int, ctx: ParseContext) -> None:
    """Refuse front matter too large to parse (pure-Python YAML reads about 4 s a MB), naming
    the field whose line made it so: a 1 MB title is refused as a title."""
    limit = ctx.limits.max_document_chars
    if len(yaml_text) <= limit:
        return
    lines = yaml_text.splitlines()
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    name = lines[longest].partition(":")[0].strip()
    if name == "title":
        field_limit, what = ctx.limits.max_title_chars, "a title"
    else:
        field_limit, what = ctx.limits.max_field_chars, "one field"
    raise YamlInputError(
        f"field '{name}' is {len(lines[longest]):,} characters; {what} may have at most "
        f"{field_limit:,} (the front matter is {len(yaml_text):,}, at most {limit:,})",
        offset + longest + 1,
    )


def strip_comments(text: str) -> str:
    """Text without `<!-- ... -->` comments; an unclosed one stays. A scan with str.find: the
    regex `<!--.*?-->` took 4.5 s on 20,000 unclosed `<!--` (it rescans the rest from each)."""
    parts, pos = [], 0
    while (start := text.find("<!--", pos)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        parts.append(text[pos:start])
        pos = end + 3
    parts.append(text[pos:])
    return "".join(parts)


def heading(line: str) -> tuple[int, str] | None:
    """(level, text) of a `#` or `##` heading line, else None.

    What `^(#{1,2})\\s+(.+?)\\s*#*\\s*$` matched, without its backtracking: that regex took 86 s
    on one heading line with 4,000 spaces inside.
    """
    level = len(line) - len(line.lstrip("#"))
    after = line[level:]
    rest = after.lstrip()
    spaces = len(after) - len(rest)
    if level not in (1, 2) or not spaces:
        return None
    if not rest:  # only spaces: the pattern's `.+?` takes the last of them
        return (level, after[-1]) if spaces > 1 else None
    core = rest.rstrip().rstrip("#").rstrip()  # a closing run of '#' is not part of the text
    return level, rest[: max(1, len(core))]


def split_sections(body: str, lead_section: str = "summary") -> tuple[str, list[tuple[str, str]]]:
    """(H1 title or '', [(heading, text)]) from a Markdown body; `##` headings start sections."""
    title = ""
    sections: list[tuple[str, list[str]]] = [(lead_section, [])]
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        found = None if in_fence else heading(line)
        if found and found[0] == 1 and not title:
            title = found[1]
        elif found and found[0] == 2:
            sections.append((found[1], []))
        else:
            sections[-1][1].append(line)
    pairs = [(name, "\n".join(lines).strip()) for name, lines in sections]
    return title, [(h, t) for h, t in pairs if t]
