"""Hand texts to spaCy, in pieces when a text is longer than the pipeline parses at once.

spaCy refuses a text over its ``max_length`` (1,000,000 characters) with error E088, and
the limit on a document's length is a setting a user may raise: one long document failed
every later index run, after the full embedding time. Such a text is cut into pieces
below the limit (at paragraph breaks, else sentence ends, else spaces), each piece parsed
and counted, and the pieces' counts added up into the document's. Texts within the limit
go to the pipeline exactly as before, in the same batches: their counts do not change.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indexer.terms.doc_counts import NUMBER_FIELDS, DocCounts, count_document

if TYPE_CHECKING:  # the miner hands its texts here
    from indexer.terms.config import MinerConfig


@dataclass(slots=True)
class SurfaceCounts:
    """One lower-cased surface form's occurrences in a piece of text, or in all pieces."""

    lemma: str
    count: int = 0
    pos_patterns: dict[str, int] = field(default_factory=dict)
    capitalized: int = 0
    all_caps: int = 0
    extends_left: int = 0
    extends_right: int = 0
    in_heading: int = 0
    english_context: float = 0.0
    context: int = 0  # the sentence around the first occurrence


# Where a text may be cut, best first: after a blank line, a sentence end, any whitespace.
_BREAKS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


def count_texts(texts: Iterable[str], nlp, config: MinerConfig) -> Iterator[DocCounts]:
    """`count_document` of each text's parse, in order; a text over ``nlp.max_length``
    is parsed in pieces. The parsed Docs are counted as they come, never all held at once."""
    max_chars = getattr(nlp, "max_length", None)  # test doubles have no limit
    last_piece: deque[bool] = deque()  # one entry per piece handed to the pipeline

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = split_text(text, max_chars) if max_chars else [text]
            last_piece.extend([False] * (len(parts) - 1) + [True])
            yield from parts

    counted: list[DocCounts] = []
    for doc in nlp.pipe(pieces(), batch_size=config.batch_size, n_process=config.n_process):
        counted.append(count_document(doc, config.limits))
        if last_piece.popleft():
            yield counted[0] if len(counted) == 1 else add_counts(counted)
            counted = []


def split_text(text: str, max_chars: int) -> list[str]:
    """Consecutive pieces of at most ``max_chars`` characters that join back into ``text``."""
    if len(text) <= max_chars:
        return [text]
    return list(_pieces(text, max_chars, level=0))


def _pieces(text: str, max_chars: int, level: int) -> Iterator[str]:
    if len(text) <= max_chars:
        yield text
    elif level == len(_BREAKS):  # a run of characters with no whitespace: cut anywhere
        yield from (text[start : start + max_chars] for start in range(0, len(text), max_chars))
    else:
        piece: list[str] = []
        size = 0
        for unit in _units(text, _BREAKS[level]):
            if piece and size + len(unit) > max_chars:
                yield "".join(piece)
                piece, size = [], 0
            if len(unit) > max_chars:
                yield from _pieces(unit, max_chars, level + 1)
            else:
                piece.append(unit)
                size += len(unit)
        if piece:
            yield "".join(piece)


def _units(text: str, breaks: re.Pattern) -> Iterator[str]:
    """``text`` cut after each match of ``breaks`` (the break stays with what precedes it)."""
    start = 0
    for match in breaks.finditer(text):
        if match.end() > start:
            yield text[start : match.end()]
            start = match.end()
    if start < len(text):
        yield text[start:]


def add_counts(parts: list[DocCounts]) -> DocCounts:
    """One document's counts from its consecutive pieces' counts: sums, with each surface
    form, context sentence and word in the order a single pass would first meet it."""
    surfaces: dict[str, SurfaceCounts] = {}
    contexts: dict[str, int] = {}
    words: Counter = Counter()
    for part in parts:
        for surface, found in zip(part.surfaces, _surface_counts(part), strict=True):
            context = contexts.setdefault(part.contexts[found.context], len(contexts))
            total = surfaces.setdefault(surface, SurfaceCounts(found.lemma, context=context))
            _add_surface(total, found)
        words.update(part.word_counts)
    merged = DocCounts(word_counts=words, n_tokens=sum(part.n_tokens for part in parts))
    for owner, (surface, total) in enumerate(surfaces.items()):
        merged.surfaces.append(surface)
        merged.lemmas.append(total.lemma)
        for name, column in merged.numbers.items():
            column.append(getattr(total, name))
        merged.english_context.append(total.english_context)
        for key, n in total.pos_patterns.items():
            merged.pos_patterns.owners.append(owner)
            merged.pos_patterns.keys.append(key)
            merged.pos_patterns.counts.append(n)
    merged.contexts = list(contexts)
    return merged


def _surface_counts(part: DocCounts) -> Iterator[SurfaceCounts]:
    """A piece's counts per surface form, as counting built them (`SurfaceCounts`)."""
    numbers = {name: list(part.numbers[name]) for name in NUMBER_FIELDS}
    tally = part.pos_patterns
    patterns: list[dict[str, int]] = [{} for _ in part.surfaces]
    for owner, key, n in zip(tally.owners, tally.keys, tally.counts, strict=True):
        patterns[owner][key] = int(n)
    english = list(part.english_context)
    for i, lemma in enumerate(part.lemmas):
        found = SurfaceCounts(lemma, **{name: int(numbers[name][i]) for name in NUMBER_FIELDS})
        found.pos_patterns = patterns[i]
        found.english_context = float(english[i])
        yield found


def _add_surface(total: SurfaceCounts, found: SurfaceCounts) -> None:
    for name in NUMBER_FIELDS:
        if name != "context":  # the sentence of the first occurrence stays
            setattr(total, name, getattr(total, name) + getattr(found, name))
    for key, n in found.pos_patterns.items():
        total.pos_patterns[key] = total.pos_patterns.get(key, 0) + n
    total.english_context += found.english_context
