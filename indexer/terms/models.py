"""Data passed in and out of the term miner: documents, contexts, candidates, results."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceDocument:
    """One text to mine, with free-form metadata (e.g. ``{"department": "Operations"}``)."""

    doc_id: str
    text: str
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """A sentence in which a candidate occurs, so editors can judge its meaning."""

    doc_id: str
    sentence: str


@dataclass
class TermCandidate:
    """All occurrences of one lemma-normalized term, its variants and its statistics.

    ``variants`` maps each lower-cased surface form to its count; ``metadata_counts`` maps a
    metadata key (e.g. "department") to value -> occurrence count.
    """

    term: str
    variants: dict[str, int]
    frequency: int
    document_frequency: int
    doc_ids: set[str] = field(default_factory=set)
    metadata_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    contexts: list[Context] = field(default_factory=list)
    pos_pattern: str = ""
    expansion: str | None = None
    acronym: str | None = None
    c_value: float = 0.0
    score: float = 0.0
    accepted: bool = False
    label: str = ""  # the most common written form ("Mars Exploration Rover")

    @property
    def surface_forms(self) -> list[str]:
        """Variants, most frequent first (ties alphabetical, for determinism)."""
        return sorted(self.variants, key=lambda form: (-self.variants[form], form))

    @property
    def display_form(self) -> str:
        """The label, else the most frequent (lower-cased) variant."""
        return self.label or self.surface_forms[0]


class RankedCandidates(Sequence[TermCandidate]):
    """Candidates best first, each built when first read.

    A corpus has tens of thousands of candidates and an index keeps the best few thousand:
    building the rest (variants, documents, contexts) would cost more than ranking them.
    """

    def __init__(
        self,
        accepted: list[bool],
        build: Callable[[int], TermCandidate],
        summarize: Callable[[int], CandidateSummary],
    ):
        self._accepted, self._build, self._summarize = accepted, build, summarize
        self._built: dict[int, TermCandidate] = {}

    def __len__(self) -> int:
        return len(self._accepted)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        position = range(len(self))[index]  # negative indices; IndexError when out of range
        if position not in self._built:
            self._built[position] = self._build(position)
        return self._built[position]

    def __iter__(self) -> Iterator[TermCandidate]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def accepted(self) -> list[TermCandidate]:
        return [self[i] for i, accepted in enumerate(self._accepted) if accepted]

    def summary(self, position: int) -> CandidateSummary:
        """The term, score and cut-off at ``position``, without building the candidate."""
        return self._summarize(position)


@dataclass(frozen=True)
class CandidateSummary:
    """What ranking alone knows of a candidate: enough to re-score a row kept from before."""

    term: str
    score: float
    accepted: bool


@dataclass
class MiningResult:
    """Candidates ranked best first; ``accepted`` ones passed the learned cut-off."""

    candidates: Sequence[TermCandidate]
    n_documents: int
    n_tokens: int
    # The ranked corpus (`view.CorpusView`), for callers that look past the candidates.
    view: object = field(default=None, repr=False, compare=False)

    @property
    def accepted(self) -> list[TermCandidate]:
        if isinstance(self.candidates, RankedCandidates):  # without building the others
            return self.candidates.accepted()
        return [candidate for candidate in self.candidates if candidate.accepted]

    def ranked_strings(self, accepted_only: bool = True) -> list[str]:
        """Unique lower-cased surface strings, best term first (the TermEval output)."""
        seen: dict[str, None] = {}
        pool = self.accepted if accepted_only else self.candidates
        for candidate in pool:
            for form in candidate.surface_forms:
                seen.setdefault(form, None)
        return list(seen)
