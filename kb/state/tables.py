"""The state database's tables (SQLAlchemy Core), at the newest schema revision: accounts,
API tokens, the glossary's terms and their history, saved kickoff packs, the record of
reads of restricted documents, and recent failed sign-ins.

Timestamps are ISO 8601 UTC strings to the second ('2026-01-31T12:00:00Z', sortable), as in
the glossary file the accounts came from. Migrations under kb/state/migrations build exactly
this schema step by step (a test compares the two).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

TIMESTAMP = 20  # len('2026-01-31T12:00:00Z')
DIGEST = 64  # a SHA-256 hex digest

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", String(TIMESTAMP), nullable=False),
)

# one row per (account, department); an account may belong to several departments
user_departments = Table(
    "user_departments",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("department", String(64), primary_key=True),
)

sessions = Table(
    "sessions",
    metadata,
    # sha256 of the cookie value; the value itself is never stored
    Column("token_hash", String(DIGEST), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", String(TIMESTAMP), nullable=False),
    Column("expires_at", String(TIMESTAMP), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Index("sessions_expires", "expires_at"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    # sha256 of the token; the token is shown once, when created, and never stored
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("created_at", String(TIMESTAMP), nullable=False),
    Column("expires_at", String(TIMESTAMP), nullable=True),  # NULL: never expires
)

terms = Table(
    "terms",
    metadata,
    Column("key", Text, primary_key=True),  # the candidate's lemma-normalized key
    Column("label", Text, nullable=False),
    Column("definition", Text, nullable=False, server_default=""),
    Column("acronym", Text, nullable=False, server_default=""),
    Column("synonyms", Text, nullable=False, server_default="[]"),  # JSON list
    Column("related", Text, nullable=False, server_default="[]"),  # JSON list of term keys
    Column("owner", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("merged_into", Text, nullable=False, server_default=""),
    # optimistic locking: every write says which version it replaces (kb/glossary/store.py)
    Column("version", Integer, nullable=False),
    Column("updated_at", String(TIMESTAMP), nullable=False),
    Column("updated_by", String(64), nullable=False),
    Index("terms_decision", "decision"),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("term_key", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("user", String(64), nullable=False),
    Column("at", String(TIMESTAMP), nullable=False),
    Column("action", String(16), nullable=False),
    Column("changes", Text, nullable=False),  # JSON {field: [old, new]}
    Index("history_term", "term_key", "version"),
)

packs = Table(
    "packs",
    metadata,
    # the order packs were saved in: newest first among packs created in the same second
    Column("seq", Integer, primary_key=True),
    # the pack's stable id (title slug and random hex, kb/kickoff/storage.py); a second
    # server drawing the same id gets a duplicate-key error on INSERT and draws again
    Column("id", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("department", Text, nullable=False),
    Column("author", Text, nullable=False, server_default=""),  # who saved it, if signed in
    Column("created_at", String(TIMESTAMP), nullable=False),
    Column("lessons", Integer, nullable=False),
    Column("themes", Integer, nullable=False),
    Column("content", Text, nullable=False),  # the pack's JSON at save time
    Index("packs_created", "created_at"),
)

# one row per time a restricted document was shown in full (kb/state/reads.py); the user is
# a name, not a key: the record outlives a deleted account
restricted_reads = Table(
    "restricted_reads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user", String(64), nullable=False),
    Column("document_id", Text, nullable=False),
    Column("route", String(16), nullable=False),  # page, json or api
    Column("at", String(TIMESTAMP), nullable=False),
    Index("restricted_reads_at", "at"),
    Index("restricted_reads_user", "user", "at"),
)

# Failed sign-ins per account name and per source address, shared by every server process
# (kb/glossary/sign_in_failures.py). Keys are SHA-256 digests: what people type into the name
# field is sometimes their password, and a digest bounds the row whatever was typed.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("kind", String(8), primary_key=True),  # "name" or "address"
    Column("key_hash", String(DIGEST), primary_key=True),
    Column("failures", Integer, nullable=False),  # in the current run of failures
    Column("first_at", String(TIMESTAMP), nullable=False),  # when that run began
    Column("retry_at", String(TIMESTAMP), nullable=False),  # no attempt before (delay, lock)
    Column("expires_at", String(TIMESTAMP), nullable=False),  # forgotten (purged) from then
    Index("sign_in_failures_expires", "expires_at"),
)

# Action items added on the web (those of a document's Actions section live in the index).
action_items = Table(
    "action_items",
    metadata,
    Column("id", String(32), primary_key=True),  # "w" and random hex (kb/actions)
    Column("doc_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("owner", Text, nullable=False, server_default=""),
    Column("due", String(10), nullable=False, server_default=""),
    Column("created_by", Text, nullable=False),
    Column("created_at", String(TIMESTAMP), nullable=False),
    Index("action_items_doc", "doc_id"),
)

# Every status change of an action item, document or web: the newest is its status.
action_updates = Table(
    "action_updates",
    metadata,
    Column("seq", Integer, primary_key=True),  # the order of changes, also within a second
    Column("action_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("user_name", Text, nullable=False),
    Column("at", String(TIMESTAMP), nullable=False),
    Index("action_updates_action", "action_id", "seq"),
)

# Usage events (issue #24: insights): what people search, open, click and apply. The actor is
# their department ("" for an anonymous visitor); their name only when an admin turns that on.
usage_events = Table(
    "usage_events",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("at", String(TIMESTAMP), nullable=False),
    # search, view, related_click, other_departments_click, pack_include, contribution,
    # action_change (kb/insights)
    Column("kind", String(32), nullable=False),
    Column("department", Text, nullable=False, server_default=""),  # the actor's
    Column("user_name", Text, nullable=True),  # only when recording names is on
    Column("doc_id", Text, nullable=True),  # the document opened, clicked or applied
    Column("doc_department", Text, nullable=True),  # its department, kept for flow figures
    Column("query", Text, nullable=True),  # searches: what was asked
    Column("results", Integer, nullable=True),  # searches: how many matched
    Column("detail", Text, nullable=False, server_default=""),  # JSON: filters, states, ...
    Index("usage_events_kind_at", "kind", "at"),
    Index("usage_events_at", "at"),
)

# Events older than the retention period, summarized before they are dropped: counts per
# month, kind, actor's department and document's department.
usage_summaries = Table(
    "usage_summaries",
    metadata,
    Column("month", String(7), primary_key=True),  # YYYY-MM
    Column("kind", String(32), primary_key=True),
    Column("department", Text, primary_key=True),
    Column("doc_department", Text, primary_key=True),  # "" when the event had none
    Column("events", Integer, nullable=False),
)

# Lessons, retrospectives and meeting notes written on the web or the API (kb/contributions):
# private drafts until published, when they become a Markdown file under KB_CONTRIBUTIONS_DIR.
contributions = Table(
    "contributions",
    metadata,
    Column("id", String(32), primary_key=True),  # "c" and random hex; the document's id too
    Column("author", String(64), nullable=False),
    Column("department", Text, nullable=False),
    Column("doc_type", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # draft, submitted, returned, published
    Column("document", Text, nullable=False),  # the document as JSON (fields and sections)
    Column("created_at", String(TIMESTAMP), nullable=False),
    Column("updated_at", String(TIMESTAMP), nullable=False),
    Column("published_path", Text, nullable=False, server_default=""),  # "" until published
    Column("version", Integer, nullable=False, server_default="0"),  # versions published
    Index("contributions_author", "author", "updated_at"),
    Index("contributions_status", "status", "updated_at"),
)

# Every state change of a contribution; a publication keeps the document it published.
contribution_changes = Table(
    "contribution_changes",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("contribution_id", String(32), nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("at", String(TIMESTAMP), nullable=False),
    Column("from_status", String(16), nullable=False),
    Column("to_status", String(16), nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("document", Text, nullable=True),  # JSON of the version published, else NULL
    Index("contribution_changes_of", "contribution_id", "seq"),
)
