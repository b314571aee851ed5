"""The README and docs/: links that lead somewhere, every setting documented as it is."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from kb.settings import Settings
from tests.conftest import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
SETTING_ROW = re.compile(r"^\| `KB_(\w+)` \| ([^|]*) \|", re.M)


def without_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def prose(text: str) -> str:
    """The text outside code blocks and inline code, where links are links."""
    return re.sub(r"`[^`\n]*`", "", without_code_blocks(text))


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, '-' for ' '."""
    text = without_code_blocks(page.read_text(encoding="utf-8"))
    headings = re.findall(r"^#{1,6} (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_docs_relative_links_lead_to_a_file_and_heading(page):
    broken = []
    for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


def same_default(cell: str, default) -> bool:
    text = cell.replace(",", "").strip().strip("`")
    if default is None:  # a setting that may stay unset says what unset means
        return text.startswith("unset")
    if isinstance(default, bool):
        return text.lower() == str(default).lower()
    if isinstance(default, int | float):
        return float(text) == default
    return text == str(default)


def test_docs_settings_page_documents_every_setting_with_its_default():
    rows = dict(SETTING_ROW.findall((REPO / "docs" / "settings.md").read_text(encoding="utf-8")))
    fields = {f.name.upper(): f.default for f in dataclasses.fields(Settings)}
    assert sorted(rows) == sorted(fields), (
        "docs/settings.md lists other settings than kb/settings.py"
    )
    wrong = [name for name, default in fields.items() if not same_default(rows[name], default)]
    assert not wrong, f"docs/settings.md gives another default for {', '.join(wrong)}"
