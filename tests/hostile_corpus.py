"""A corpus of hostile and broken files beside good ones, written by code (never committed).

Every case of issue #18 and more: each bad file must be rejected on its own, named with its
reason, while the good files beside it are indexed. The tests (tests/indexer/
test_hostile_corpus.py) and the benchmark (benchmarks/bench_hostile_index.py) build the same
set with `write_hostile_corpus`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOOD_SOURCES = REPO / "examples" / "corpus"


@dataclass(frozen=True)
class BadCase:
    name: str  # the file (or link, FIFO, socket) written under the corpus root
    reason: str  # a word the problem reported for it must contain (lower case)
    write: Callable[[Path], None]
    skipped: bool = False  # reported as skipped while walking, not as a parse problem


@dataclass
class HostileCorpus:
    root: Path
    good_files: list[Path] = field(default_factory=list)  # each holds good documents only
    good_ids: set[str] = field(default_factory=set)  # good records inside files with bad ones
    cases: list[BadCase] = field(default_factory=list)

    def bad_paths(self) -> dict[str, BadCase]:
        return {str(self.root / case.name): case for case in self.cases}


def front(fields: str, body: str = "## Lesson\n\nKeep spares on site.\n") -> str:
    return f"---\n{fields.strip()}\n---\n\n{body}"


GOOD_FIELDS = "title: A good title\ntype: lesson\ndepartment: Operations\ndate: 2023-05-01"


def _text(content: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(content, encoding="utf-8")


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _alias_bomb(levels: int = 8, repeats: int = 10) -> str:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * repeats)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return front(GOOD_FIELDS + "\n" + "\n".join(lines))


def _deep_json(levels: int) -> str:
    return "[" * levels + "]" * levels


def _docx(document_xml: str, declared_huge: bool = False) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def _docx_paragraphs(count: int) -> bytes:
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraphs = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * count
    return _docx(
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{namespace}">'
        f"<w:body>{paragraphs}</w:body></w:document>"
    )


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.close()  # the socket file stays on disk


def _self_link(path: Path) -> None:
    path.symlink_to(path.name)


def _folder_loop(path: Path) -> None:
    path.mkdir()
    (path / "a").symlink_to("b")
    (path / "b").symlink_to("a")
    (path / "back.md").symlink_to("../loop")


def _dangling(path: Path) -> None:
    path.symlink_to("no-such-file.md")


def _records_json() -> str:
    good = {"title": "JSON record kept", "type": "lesson", "department": "Finance"}
    good |= {"date": "2022-03-04", "id": "json-record-kept", "lesson": "Reconcile weekly."}
    bad = {**good, "id": "json-record-bad", "date": "2022-02-30"}
    return json.dumps([good, bad])


BAD_CASES = [
    BadCase(
        "date-feb-30.md", "date", _text(front(GOOD_FIELDS.replace("2023-05-01", "2023-02-30")))
    ),
    BadCase(
        "date-year-zero.md", "date", _text(front(GOOD_FIELDS.replace("2023-05-01", "0000-01-01")))
    ),
    BadCase("deep.json", "nest", _text(_deep_json(200_000))),
    BadCase("self-alias.md", "alias", _text(front(GOOD_FIELDS + "\nextra: &r [*r]"))),
    BadCase("alias-bomb.md", "alias", _text(_alias_bomb())),
    BadCase("x.md", "fifo", _fifo, skipped=True),
    BadCase("sock.md", "socket", _socket, skipped=True),
    BadCase("self-link.md", "link", _self_link, skipped=True),
    BadCase("dangling.md", "link", _dangling, skipped=True),
    BadCase(
        "huge-text.md", "characters", _text(front(GOOD_FIELDS, "## Lesson\n\n" + "word " * 220_000))
    ),
    BadCase(
        "huge-title.md", "title", _text(front(GOOD_FIELDS.replace("A good title", "T" * 1_000_000)))
    ),
    BadCase("docx-bomb.docx", "paragraphs", _bytes(_docx_paragraphs(295_000))),
    BadCase(
        "many-sections.md",
        "sections",
        _text(front(GOOD_FIELDS, "".join(f"## S{i}\n\nx\n\n" for i in range(10_000)))),
    ),
    BadCase("unclosed.md", "not closed", _text("---\n" + GOOD_FIELDS + "\n\n## Lesson\n\nText.\n")),
    BadCase("header-only.csv", "no rows", _text("title,type,department,date,lesson\n")),
    BadCase("tags-mapping.md", "tags", _text(front(GOOD_FIELDS + "\ntags: {a: 1}"))),
    BadCase(
        "nan-title.json",
        "nan",
        _text(
            '{"title": NaN, "type": "lesson", "department": "HR", "date": "2023-01-01", "lesson": "x"}'
        ),
    ),
    BadCase("binary.md", "binary", _bytes(b"\x00\x01\x02" * 100)),
    BadCase(
        "latin1.md",
        "utf-8",
        _bytes(front(GOOD_FIELDS).replace("spares", "pi\xe8ces").encode("latin-1")),
    ),
    BadCase("empty.md", "empty file", _text("")),
    BadCase("not-a-zip.docx", "docx", _bytes(b"PK not really a zip")),
    BadCase("front-list.md", "mapping", _text("---\n- a\n- b\n---\n\nBody.\n")),
    BadCase(
        "title-list.md",
        "title",
        _text(front(GOOD_FIELDS.replace("title: A good title", "title: [a, b]"))),
    ),
    BadCase(
        "deep-yaml.md", "nest", _text(front(GOOD_FIELDS + "\nextra: " + "[" * 5_000 + "]" * 5_000))
    ),
    BadCase("huge-extra.md", "extra", _text(front(GOOD_FIELDS + "\nnotes: " + "n" * 200_000))),
    BadCase(
        "bad-quote.csv",
        "csv",
        _text('title,type,department,date,lesson\n"unclosed,lesson,HR,2023-01-01,x\n'),
    ),
    BadCase("records.json", "date", _text(_records_json())),
    BadCase("loop", "link", _folder_loop, skipped=True),
]


def write_hostile_corpus(root: Path, good_files: int = 12) -> HostileCorpus:
    """Good example documents and every bad case, side by side under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    corpus = HostileCorpus(root)
    for source in sorted(GOOD_SOURCES.rglob("*.md"))[:good_files]:
        shutil.copyfile(source, root / source.name)
        corpus.good_files.append(root / source.name)
    utf16 = front(GOOD_FIELDS.replace("A good title", "Written in UTF-16"))
    (root / "utf16.md").write_bytes(b"\xff\xfe" + utf16.encode("utf-16-le"))
    corpus.good_files.append(root / "utf16.md")
    corpus.good_ids.add("json-record-kept")
    for case in BAD_CASES:
        case.write(root / case.name)
        corpus.cases.append(case)
    return corpus
