"""What counts as a word, which words say nothing, and slugs: one place for all of kb.

The full-text index tokenizes with FTS5's `unicode61` tokenizer: a token is a run of letters
and digits (Unicode categories L*, N* and Co), case-folded with diacritics removed; anything
else, apostrophes and hyphens included, separates tokens. `TOKEN` is that rule as a Python
pattern. It splits every ASCII text exactly as unicode61 does, and finds the very same 617,297
tokens in the NASA lessons as FTS5's own vocabulary (tests/kb/test_text.py checks a quarter
of them). It differs on combining marks written apart (unicode61 keeps "e" + U+0301 in the
token), private-use characters, and characters newer than SQLite's Unicode tables.

The other patterns each keep their own, deliberately different notion of a word, because
what is built from them (a query's FTS5 phrases, related-lesson reasons, mined glossary
terms) is held equal across releases:

    TOKEN        [^\\W_]+                  FTS5's tokens: snippets and highlights (kb.text.fts)
    WORD         TOKEN('TOKEN)?            tokens joined across one apostrophe ("operator's"):
                                           the words of a mined term (indexer/terms)
    QUERY_WORD   [A-Za-z0-9][A-Za-z0-9'-]*  a query's words: "hand-offs" stays one term, which
                                           kb.search turns into the FTS5 phrase "hand offs"
    TERM_WORD    letters first, & / - inside  words two texts share ("R&D", "A/B"): kb.related
    PROSE_WORD   letter first, ' - inside  context words around a term: kb.glossary.contested
    LETTER_WORD  letters, hyphen-joined,   a rare-word candidate in a brief ("hypercare"),
                 nothing adjoining         never part of "COVID-19" or "v2": kb.kickoff.jargon
    PHRASE_WORD  letter first, - inside    the words of a spelled-out acronym: kb.kickoff.jargon
"""

from __future__ import annotations

import re
import unicodedata

TOKEN = re.compile(r"[^\W_]+")
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
QUERY_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
TERM_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&/-]*[A-Za-z0-9]|[A-Za-z]")
PROSE_WORD = re.compile(r"[^\W\d_][\w'-]*")
LETTER_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)*(?![\w-])")
PHRASE_WORD = r"[^\W\d_][\w-]*"  # a fragment: jargon builds "N words before (ACRONYM)" from it
_PHRASE_WORD = re.compile(PHRASE_WORD)

# English function words: left out of queries, shared-term reasons and context bags.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours""".split()
)
# Around a glossary term, also the everyday verbs, numbers, reflexives and contractions that
# say nothing about which sense the term is used in.
CONTEXT_STOPWORDS = STOPWORDS | frozenset(
    """herself himself myself ourselves themselves yourself yourselves let upon us within
    without one two three new get got made make may might must per via using used use we'll
    it's don't didn't isn't wasn't weren't can't won't""".split()
)


def tokens(text: str) -> list[str]:
    """FTS5's tokens of a text, as written (not case-folded)."""
    return TOKEN.findall(text)


def query_words(text: str) -> list[str]:
    return QUERY_WORD.findall(text)


def term_words(text: str) -> list[str]:
    return TERM_WORD.findall(text)


def prose_words(text: str) -> list[str]:
    return PROSE_WORD.findall(text)


def phrase_words(text: str) -> list[str]:
    return _PHRASE_WORD.findall(text)


def slug(text: str, fold_accents: bool = False, default: str = "") -> str:
    """Lower-case ASCII letters and digits joined by '-' ("Root cause analysis" ->
    "root-cause-analysis"); `default` when nothing is left. With `fold_accents`, accented
    letters become their base letter ("Über" -> "uber"); without, they separate like
    punctuation ("ber"): document ids were made that way, and they must stay the same."""
    if fold_accents:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or default
