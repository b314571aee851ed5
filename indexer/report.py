"""What one `kb index` run did: printed as its summary, returned to callers and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.discover import SkippedFile
from kb.problems import Problem


@dataclass
class IndexRun:
    """The report of one run; the run's working state lives in `indexer.pipeline.IndexJob`."""

    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    documents_indexed: int = 0
    documents_removed: int = 0
    chunks_total: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    documents_total: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)  # also among the warnings
    seconds: float = 0.0
    generation: str = ""
    generation_kept: bool = False  # nothing changed: the live generation stays
    glossary_candidates: int | None = None  # None: not re-mined (no document changed)
    contested_terms: int | None = None  # ranked after mining (kb.glossary.contested)
    glossary_texts_parsed: int = 0  # by spaCy; the other documents' counts were cached
    glossary_documents_reused: int = 0
    glossary_rows_kept: int = 0  # stored candidate rows kept, only re-scored
    person_names_read: int = 0  # documents spaCy read for person names (indexer.people)
    glossary_background_seconds: float | None = None  # mining beside embedding: start to end
    rebuilt_because: str | None = None  # set when a model or backend change re-embedded all
    phase_seconds: dict[str, float] = field(default_factory=dict)  # check, copy, parse, ...

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def rejected_files(self) -> set[str]:
        return {p.path for p in self.errors}
