"""DOCX reading: python-docx against the bounded streaming reader (kb/documents/parsers/docx_reader.py).

    .venv/bin/python benchmarks/bench_docx_reader.py [--paragraphs N] [--repeat R]

Builds one DOCX with python-docx (a title, `Field: value` lines, then N paragraphs cycling
through headings, list bullets, hyperlinks, tabs and line breaks, and plain text), then reads
it R times each way: python-docx's Document(), walking paragraphs for text and style name as
the parser used to, and read_docx(). Prints the best time of each and checks both give the same
(text, style) for every paragraph.
"""

from __future__ import annotations

import argparse
import io
import time

import docx
from docx.oxml import parse_xml
from figures import emit

from kb.documents.limits import default_limits
from kb.documents.parsers.docx_reader import read_docx

HYPERLINK = (
    '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:r><w:t>a link</w:t></w:r></w:hyperlink>"
)


def build(paragraphs: int) -> bytes:
    document = docx.Document()
    document.add_paragraph("Benchmark document", style="Title")
    document.add_paragraph("Type: lesson")
    styles = ("Heading 2", "Normal", "List Bullet", "Normal", "Heading 3", "List Number")
    for i in range(paragraphs):
        paragraph = document.add_paragraph(style=styles[i % len(styles)])
        run = paragraph.add_run(f"Paragraph {i}: the vendor delivered\tlate")
        if i % 7 == 0:
            run.add_break()
            paragraph.add_run("after a break")
        if i % 11 == 0:
            paragraph._p.append(parse_xml(HYPERLINK))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_python_docx(data: bytes) -> list[tuple[str, str]]:
    document = docx.Document(io.BytesIO(data))
    return [(p.text, p.style.name if p.style is not None else "") for p in document.paragraphs]


def with_reader(data: bytes) -> list[tuple[str, str]]:
    content = read_docx(data, default_limits())
    return [(p.text, p.style) for p in content.paragraphs]


def best_time(read, data: bytes, repeat: int) -> tuple[float, list]:
    times, result = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = read(data)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=19_990)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = build(args.paragraphs)
    old, expected = best_time(with_python_docx, data, args.repeat)
    new, got = best_time(with_reader, data, args.repeat)
    print(f"DOCX of {len(expected):,} paragraphs, {len(data):,} bytes")
    print(f"python-docx: {old:.2f} s   streaming reader: {new:.2f} s   ({old / new:.0f}x)")
    print(f"same text and style for every paragraph: {got == expected}")
    emit(
        f"DOCX reading, {len(expected):,} paragraphs",
        f"streaming reader {new:.2f} s, python-docx {old:.2f} s ({old / new:.0f}×); "
        f"same text and style for every paragraph: {'yes' if got == expected else '**no**'}",
        values={
            "reader_s": round(new, 3),
            "python_docx_s": round(old, 3),
            "paragraphs": len(expected),
            "same": got == expected,
        },
    )


if __name__ == "__main__":
    main()
