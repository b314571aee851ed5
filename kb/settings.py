"""Every Lessonbase setting, declared once with its type, default and help line.

Settings come from, in rising priority: the defaults below, `KB_<NAME>` environment variables,
and explicit arguments (CLI options, `Settings(...)` in code and tests).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from models.base import AUTO_BACKEND, EMBEDDING_BACKENDS


def _setting(default, help: str, choices: tuple = ()):
    return field(default=default, metadata={"help": help, "choices": choices})


@dataclass(frozen=True)
class Settings:
    kb_dir: Path = _setting(
        Path("kb-index"), "Directory that holds the index (created by `kb index`)."
    )
    embedder: str = _setting(
        "sentence-transformers",
        "Embedding backend: 'sentence-transformers' or 'fake' (deterministic, for tests).",
    )
    model: str = _setting(
        "all-MiniLM-L6-v2",
        "Embedding model: a name (all-MiniLM-L6-v2 is packaged) or a local model directory.",
    )
    device: str = _setting("cpu", "Torch device for the embedding model.")
    embedding_backend: str = _setting(
        AUTO_BACKEND,
        "How the embedding model runs: auto (torch-bf16 on CPUs with native bfloat16, else "
        "onnx-int8 on x86-64, else torch), torch, torch-bf16, onnx or onnx-int8 (ONNX "
        "Runtime; exported from the local model once and cached in models_cache). The index "
        "records it; changing it rebuilds.",
        (AUTO_BACKEND, *EMBEDDING_BACKENDS),
    )
    models_cache: Path = _setting(
        Path("~/.cache/lessonbase/models"),
        "Directory for models derived locally from packaged ones (ONNX exports).",
    )
    # Small batches keep a batch's activations in the core's cache: on NASA chunks, MiniLM in
    # bfloat16 embedded 15-25% more chunks per second in batches of 16 than of 64.
    batch_size: int = _setting(16, "Chunks embedded per batch while indexing.")
    chunk_words: int = _setting(180, "Target words per chunk; longer sections are split.")
    chunk_overlap_words: int = _setting(40, "Words shared by consecutive chunks of a section.")
    max_file_bytes: int = _setting(
        20_000_000, "Files larger than this are rejected by the indexer and the validator."
    )
    # Per-document bounds: one hostile file must cost a bounded share of an index run.
    # spaCy parses at most 1,000,000 characters at once (its max_length).
    max_document_chars: int = _setting(
        1_000_000, "Documents with more characters of text than this are rejected."
    )
    max_field_chars: int = _setting(
        10_000, "Longest value of any one metadata field (a title: at most 500 characters)."
    )
    max_sections: int = _setting(200, "Documents with more sections than this are rejected.")
    max_paragraphs: int = _setting(
        20_000, "Documents with more paragraphs (DOCX paragraphs, text blocks) are rejected."
    )
    max_chunks: int = _setting(2_000, "Documents that would make more chunks are rejected.")
    search_k: int = _setting(10, "Documents returned by a search unless k is given.")
    max_k: int = _setting(100, "Largest k a search request may ask for.")
    search_mode: str = _setting("hybrid", "Default search mode.", ("hybrid", "keyword", "semantic"))
    fusion: str = _setting(
        "blend", "How hybrid search fuses rankings: scores or reciprocal ranks.", ("blend", "rrf")
    )
    semantic_weight: float = _setting(0.5, "Weight of meaning against keywords when fusion=blend.")
    min_similarity: float = _setting(
        0.3, "Cosine similarity at which a passage counts as matching a query by meaning."
    )
    default_sensitivity: str = _setting(
        "internal",
        "Sensitivity of documents that declare none: public (anyone, anonymous visitors "
        "included), internal (anyone signed in) or restricted (their department, audience "
        "and admins). Applied when reading, so changing it needs no re-index.",
        ("public", "internal", "restricted"),
    )
    anonymous_access: bool = _setting(
        True,
        "Let visitors who are not signed in read public documents. false: they read nothing; "
        "pages send them to /login and /api answers 401.",
    )
    redact_names_outside_department: bool = _setting(
        False,
        "Show a document to anyone outside its department (anonymous or signed in without "
        "it; admins excepted) with person names replaced by roles: authors, participants, "
        "action owners and the names spaCy finds in the title and text (`kb index` finds "
        "them when this is on where it runs).",
    )
    contributors_publish_own: bool = _setting(
        False,
        "Let a contributor (or editor) publish a contribution they wrote themselves; false: "
        "someone else of its department, or an editor, reviews it.",
    )
    host: str = _setting("127.0.0.1", "Address `kb serve` listens on.")
    port: int = _setting(8000, "Port `kb serve` listens on.")
    progress: bool = _setting(True, "Show progress bars on long indexing runs.")
    glossary_mining: bool = _setting(
        True, "Mine glossary term candidates (spaCy) on every index run that changes documents."
    )
    contributions_dir: Path | None = _setting(
        None,
        "Directory where lessons published from the browser and API are written as Markdown "
        "(<department>/<slug>.md) and indexed at once (unset: <KB_DIR>/contributions); every "
        "`kb index` run indexes it too.",
    )
    database_url: str = _setting(
        "sqlite:///<KB_DIR>/state.sqlite",
        "State database (accounts, sessions, API tokens, glossary terms and history, saved "
        "kickoff packs) as a SQLAlchemy URL; <KB_DIR> stands "
        "for the index directory. Several servers share one postgresql://user:pass@host/db.",
    )
    session_hours: int = _setting(8, "Hours an editor's sign-in lasts without activity.")
    secure_cookies: bool = _setting(
        False, "Mark session cookies Secure (set when serving over HTTPS)."
    )
    max_upload_bytes: int = _setting(
        5_000_000, "Largest file accepted by upload forms (glossary import, kickoff charters)."
    )
    max_request_bytes: int = _setting(
        1_000_000,
        "Largest request body on routes that take no file upload (enforced while reading).",
    )
    upload_parse_seconds: float = _setting(
        10.0, "Longest an uploaded file (a DOCX charter) may take to read, in a worker process."
    )
    login_max_failures: int = _setting(
        10, "Failed sign-ins, per account and per address, before both are locked for a while."
    )
    login_lock_minutes: int = _setting(15, "Minutes a locked account or address stays locked.")
    login_concurrency: int = _setting(
        2, "Password checks run at once (each argon2 check holds 64 MiB); others get 429."
    )
    trusted_proxies: str = _setting(
        "127.0.0.1",
        "Comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-Proto/-For "
        "headers (and, if set, the two KB_TRUSTED_*_HEADER) are believed; '*' trusts all.",
    )
    trusted_user_header: str = _setting(
        "",
        "Header naming the signed-in user, set by an authenticating proxy (e.g. "
        "X-Forwarded-User); believed only from KB_TRUSTED_PROXIES. Empty: never read.",
    )
    trusted_groups_header: str = _setting(
        "",
        "Header with the user's departments, comma-separated (e.g. X-Forwarded-Groups); read "
        "only with KB_TRUSTED_USER_HEADER, from KB_TRUSTED_PROXIES.",
    )

    usage_record_names: bool = _setting(
        False,
        "Record who (the account name) searched, read and applied lessons in the usage events "
        'of /insights. false: only the person\'s first department ("" when anonymous).',
    )
    usage_retention_days: int = _setting(
        400,
        "Days usage events are kept; older ones are summarized into monthly counts and "
        "dropped (at server start, daily, and by `kb insights prune`).",
    )
    metrics_public: bool = _setting(
        False,
        "Serve /metrics to anyone. false: only to admins, signed in or by an admin's API token "
        "(Prometheus sends it: authorization.credentials_file).",
    )

    def __post_init__(self):
        for f in dataclasses.fields(self):
            choices = f.metadata["choices"]
            if choices and getattr(self, f.name) not in choices:
                raise ValueError(
                    f"setting {f.name} (KB_{f.name.upper()}): must be one of {', '.join(choices)}, "
                    f"got {getattr(self, f.name)!r}"
                )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then KB_* environment variables, then explicit overrides (None = unset)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f"KB_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @classmethod
    def describe(cls) -> list[tuple[str, str, object, str]]:
        """(name, type, default, help) for each setting, for `kb settings` (and docs/settings.md)."""
        return [
            (f.name, _type_name(f), f.default, f.metadata["help"]) for f in dataclasses.fields(cls)
        ]


def _type_name(f: dataclasses.Field) -> str:
    return f.type if isinstance(f.type, str) else f.type.__name__


def _coerce(f: dataclasses.Field, raw: str):
    kind = _type_name(f)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes", "on")
        if kind in ("Path", "Path | None"):
            return Path(raw) if raw or kind == "Path" else None
    except ValueError:
        raise ValueError(
            f"environment variable KB_{f.name.upper()}: expected {kind}, got {raw!r}"
        ) from None
    return raw
