"""Kickoff packs: the prior lessons a new project needs, from its brief, in one minute.

    brief.py       read a pasted brief or an uploaded charter (Markdown, text, DOCX); refusals
    retrieval.py   one semantic search per brief sentence plus one hybrid search of the whole
    themes.py      cluster the lessons (Ward, about √n themes) and name each theme
    advice.py      each lesson's recommendation points; the deduplicated checklist
    glossary_terms.py, jargon.py   glossary terms in the brief; jargon without an entry
    vocabulary.py  the corpus's term candidates; general-English word frequency
    builder.py     build_pack: all of the above, from one index generation
    storage.py     saved packs in the state database, as JSON, under stable ids (PackStore)
    reading.py     a saved pack as the person opening it may read it now (as_read_by)
    pack_rows.py   their SQL (SQLAlchemy, imported on the first query)
    markdown.py    the Markdown export
    evaluation.py  recall against examples/briefs/expected.yaml

Nothing here imports FastAPI; the CLI (kb/cli/kickoff.py) and the web app (web/routers/
kickoff_pages.py) call build_pack and PackStore (kb.kickoff.storage).
"""

from kb.kickoff.brief import ACCEPTED_SUFFIXES, BriefError, read_upload
from kb.kickoff.builder import build_pack
from kb.kickoff.markdown import to_markdown
from kb.kickoff.model import (
    DEFAULT_K,
    MAX_K,
    ChecklistItem,
    GlossaryMatch,
    JargonTerm,
    KickoffPack,
    KickoffRequest,
    MatchReason,
    OpenAction,
    PackLesson,
    Theme,
)
from kb.kickoff.reading import Readable, as_read_by, summary_as_read_by
from kb.kickoff.storage import PackStore, PackSummary

__all__ = [
    "ACCEPTED_SUFFIXES",
    "DEFAULT_K",
    "MAX_K",
    "BriefError",
    "ChecklistItem",
    "GlossaryMatch",
    "JargonTerm",
    "KickoffPack",
    "KickoffRequest",
    "MatchReason",
    "OpenAction",
    "PackLesson",
    "PackStore",
    "PackSummary",
    "Readable",
    "Theme",
    "as_read_by",
    "build_pack",
    "read_upload",
    "summary_as_read_by",
    "to_markdown",
]
