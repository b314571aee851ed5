"""The tables of a generation's database (kb.sqlite), as migrations (kb.index.db).

Migration N brings a file from `user_version` N-1 to N. The first creates every table that
is missing: a new database gets them all, and a database written before user_version was
kept (every index until then, at version 0, whose tables are a subset of these) gets the ones
added since, exactly as the copy of each live generation always did. A later change of the
tables appends a migration here; one that older code could not read also bumps
kb.documents.schema.SCHEMA_VERSION (the generation's format in its manifest).
"""

TABLES = """
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    type TEXT NOT NULL,
    department TEXT NOT NULL,
    date TEXT NOT NULL,
    project TEXT, phase TEXT, status TEXT, sensitivity TEXT, url TEXT,
    authors TEXT, participants TEXT, tags TEXT, extra TEXT,
    source_path TEXT NOT NULL,
    source_line INTEGER
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_path);
CREATE INDEX IF NOT EXISTS documents_department ON documents(department);
CREATE TABLE IF NOT EXISTS sections (
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_rowid, position)
);
CREATE TABLE IF NOT EXISTS doc_tags (
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    tag TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_tags_doc ON doc_tags(doc_rowid);
CREATE TABLE IF NOT EXISTS actions (
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    text TEXT NOT NULL, owner TEXT, due TEXT, done INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    section_key TEXT NOT NULL,
    section_heading TEXT NOT NULL,
    position INTEGER NOT NULL,
    section_position INTEGER NOT NULL,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_rowid);
CREATE TABLE IF NOT EXISTS embeddings (
    content_hash TEXT PRIMARY KEY,
    vector BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, heading, text, tokenize = 'porter unicode61'
);
-- Each chunk's terms as FTS5 indexes them (kb.text.fts), for the keyword postings
-- (kb.index.keywords): packed (term id, counts in title, heading, text) records.
CREATE TABLE IF NOT EXISTS keyword_terms (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS chunk_terms (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    terms BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS term_stats (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS term_candidates (
    term TEXT PRIMARY KEY,          -- lemma-normalized key
    display TEXT NOT NULL,          -- most frequent surface form
    score REAL NOT NULL,
    rank INTEGER NOT NULL,
    accepted INTEGER NOT NULL,      -- passed the miner's cut-off
    frequency INTEGER NOT NULL,
    document_frequency INTEGER NOT NULL,
    departments TEXT NOT NULL,      -- JSON {department: occurrences}
    variants TEXT NOT NULL,         -- JSON {surface form: occurrences}
    acronym TEXT, expansion TEXT,
    contexts TEXT NOT NULL,         -- JSON [{doc_id, sentence}]
    doc_ids TEXT NOT NULL           -- JSON [doc id]
);
-- What term_candidates was mined from, so that the next index run rebuilds only the rows
-- whose documents changed (indexer.terms.reuse): the settings and acronyms by name, and
-- every document's id, text digest and metadata.
CREATE TABLE IF NOT EXISTS mining_basis (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mined_documents (
    doc_id TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    metadata TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    has_errors INTEGER NOT NULL,
    indexed_at TEXT NOT NULL
);
"""

# 2: contested glossary candidates (kb.glossary.contested), ranked when candidates are mined.
CONTESTED = """
CREATE TABLE IF NOT EXISTS contested_terms (
    position INTEGER PRIMARY KEY,   -- 1 = the most contested
    term TEXT NOT NULL,
    data TEXT NOT NULL              -- JSON of a ContestedTerm
);
"""

# 3: the person names spaCy found in each document's title and text (kb.index.people), for
# hiding them from readers outside its department (kb.redaction). A document without a row
# has not been read for names yet (an index written before this table, or by a run that
# did not look).
PERSON_NAMES = """
CREATE TABLE IF NOT EXISTS person_names (
    doc_rowid INTEGER PRIMARY KEY REFERENCES documents(rowid) ON DELETE CASCADE,
    names TEXT NOT NULL             -- JSON [name as the text writes it]
);
"""

# 4: `status` is a lifecycle state (kb.documents.lifecycle). Searches hide archived documents,
# so they look statuses up by index; and every source is read again at the next `kb index`
# (its content hash forgotten), so words an older index kept (`final`, `draft`) are
# validated: mapped, or reported while the old documents stay. Vectors are reused.
LIFECYCLE = """
CREATE INDEX IF NOT EXISTS documents_status ON documents(status);
UPDATE sources SET content_hash = '';
"""

# 5: what contested terms are judged on, per document (kb.glossary.contested_evidence), so a
# viewer who may not read every document gets them judged on the readable ones without the
# texts being read again. Empty until the next mining: the texts are read again till then.
CONTESTED_EVIDENCE = """
CREATE TABLE IF NOT EXISTS contested_evidence (
    term TEXT PRIMARY KEY,
    display TEXT NOT NULL,
    doc_ids TEXT NOT NULL,          -- JSON [doc id], read first: most terms stop there
    data TEXT NOT NULL              -- JSON {doc id: [{word: n}, [run]]}
);
CREATE TABLE IF NOT EXISTS contested_words (
    doc_id TEXT PRIMARY KEY,
    words TEXT NOT NULL             -- JSON [[carried], [capitalised], [lower case]]: of
                                    -- the words some evidence holds
);
"""

MIGRATIONS = (TABLES, CONTESTED, PERSON_NAMES, LIFECYCLE, CONTESTED_EVIDENCE)
