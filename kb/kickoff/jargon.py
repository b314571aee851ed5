"""Words in a brief that look like jargon but have no glossary entry yet.

Three simple, precise rules:

- acronyms: two or more capitals ("ERP", "DPIA"), not everyday ones ("CEO", "EUR");
- names: runs of two or more capitalized words inside a sentence ("Kestrel Hardware"), unless
  every word is everyday English ("Chief Revenue Officer") or it names a department;
- terms: words rare in general English (wordfreq Zipf below 2, "hypercare") and the corpus's
  own term candidates that the brief uses ("shift handover").

Headings and `Field: value` lines are skipped; so is everything the glossary already covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.kickoff.brief import prose_blocks
from kb.kickoff.model import JargonTerm
from kb.kickoff.vocabulary import CorpusTerm, zipf
from kb.text import LETTER_WORD, PHRASE_WORD

MAX_JARGON = 15
RARE_ZIPF = 2.0  # single words rarer than this in general English
INFLECTIONS = ("s", "es", "ed", "d", "ing")
MIN_WORD = 5  # shorter rare "words" are mostly abbreviations and typos
UNCOMMON_ZIPF = 3.0  # a corpus phrase is jargon if one of its words is rarer than this
EVERYDAY_ZIPF = 4.0  # a capitalized run made only of words at least this common is not a name
COMMON_ACRONYMS = frozenset(
    "CEO CFO COO CTO CIO CPO CRO HR IT EU UK US USA EUR USD GBP OK PDF FAQ ID AM PM TBD TBC "
    "NB PS ETA AI VP".split()
)
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z&]*[A-Z])(s?)(?![\w-])")
# Product and part codes: capitals with digits, "GSCS-2", "MIL-STD-1553", "RS422".
_CODE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?![\w-])")
_NAME_RUN = re.compile(r"(?:[A-Z][\w'’-]+|&)(?:\s+(?:[A-Z][\w'’-]+|&))+")
_POSSESSIVE = re.compile(r"['’]s?$")
# Words an expansion may skip: "telemetry, tracking and command (TT&C)".
_MINOR = frozenset("and of the for to in on at by with & a an".split())
EXPANSION_WORDS = 3  # an expansion has at most this many words per letter of its acronym
BRIEF_SPELLS = "the brief spells it out: "


@dataclass(frozen=True)
class JargonContext:
    covered: set[str]  # glossary forms and their words, lower-cased
    corpus: dict[str, CorpusTerm]  # the corpus's term candidates by lower-cased form
    departments: set[str]
    title: str = ""


def find_jargon(text: str, context: JargonContext) -> list[JargonTerm]:
    body = "\n".join(prose_blocks(text))
    found: dict[str, JargonTerm] = {}
    for finder in (acronyms, codes, names, rare_words, corpus_phrases):
        for term in finder(body, context):
            key = term.text.casefold()
            if key not in found and not _covered(key, context) and not _repeats(term, found):
                found[key] = term
    return list(found.values())[:MAX_JARGON]


def _repeats(term: JargonTerm, found: dict[str, JargonTerm]) -> bool:
    """A phrase around an acronym already listed ("EDI gateways" after "EDI")."""
    words = set(term.text.casefold().split())
    return len(words) > 1 and any(key in words for key in found)


def _covered(key: str, context: JargonContext) -> bool:
    return key in context.covered or key.rstrip("s") in context.covered


def acronyms(body: str, context: JargonContext):
    for match in _ACRONYM.finditer(body):
        acronym = match.group(1)
        letters = acronym.isalpha() and len(acronym) >= 4
        if acronym in COMMON_ACRONYMS or (letters and zipf(acronym.lower()) >= 3.5):
            continue  # everyday acronyms, and words in capitals ("NOTE", "RISKS")
        yield JargonTerm(acronym, "acronym", _expansion(body, acronym, context))


def codes(body: str, context: JargonContext):
    """Product and part codes: capitals and digits joined ("GSCS-2", "RS422")."""
    for match in _CODE.finditer(body):
        code = match.group(0)
        if any(c.isdigit() for c in code) and sum(c.isalpha() for c in code) >= 2:
            yield JargonTerm(code, "code", "")


def _expansion(body: str, acronym: str, context: JargonContext) -> str:
    """'stands for …' from the brief ("enterprise resource planning (ERP)") or the corpus."""
    spelled = defined_in(body, acronym)
    if spelled:
        return f"{BRIEF_SPELLS}{spelled}"
    return _lessons_spell(context.corpus.get(acronym.lower()))


def _lessons_spell(corpus: CorpusTerm | None) -> str:
    return f"the lessons spell it out: {corpus.expansion}" if corpus and corpus.expansion else ""


def _used_in(corpus: CorpusTerm | None) -> str:
    return f"used in {corpus.documents} lessons" if corpus else ""


def defined_in(body: str, acronym: str) -> str:
    """The words before "(ACRONYM)" whose initials spell it, minor words skipped: "telemetry,
    tracking and command (TT&C)", "enterprise resource planning (ERP)"."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    limit = EXPANSION_WORDS * len(letters)
    for match in re.finditer(rf"\(\s*{re.escape(acronym)}s?\s*\)", body):
        before = list(re.finditer(PHRASE_WORD + "|&", body[: match.start()]))[-limit:]
        for start in range(len(before) - 1, -1, -1):
            words = [m.group(0).lower() for m in before[start:]]
            initials = [w[0] for w in words if w not in _MINOR]
            if initials == letters and words[0] not in _MINOR:
                return body[before[start].start() : before[-1].end()]
            if len(initials) > len(letters):
                break
    return ""


def names(body: str, context: JargonContext):
    for line in body.splitlines():
        for match in _NAME_RUN.finditer(line):
            words = [_POSSESSIVE.sub("", w) for w in match.group(0).split()]
            if _placeholder(words):
                continue  # "Vendor A", "Site 2": a label for the brief, not a name to look up
            if _sentence_start(line, match.start()):
                words = words[1:] if zipf(words[0].lower()) >= EVERYDAY_ZIPF else words
            name = " ".join(words).strip(" &")
            if _is_name(name, context):
                yield JargonTerm(name, "name", _used_in(context.corpus.get(name.lower())))


def _placeholder(words: list[str]) -> bool:
    return len(words[-1]) == 1 or words[-1].isdigit()


def _is_name(name: str, context: JargonContext) -> bool:
    words = [w for w in name.split() if w != "&"]
    if len(words) < 2 or name in context.departments or name.lower() in context.title.lower():
        return False
    if any(w.isupper() for w in words):
        return False  # "ERP Programme": the acronym rule covers it
    return not all(zipf(w.lower()) >= EVERYDAY_ZIPF for w in words)


def rare_words(body: str, context: JargonContext):
    """Words rare in general English; capitalized ones inside a sentence only if the corpus
    knows them (a product or vendor, not any place or person)."""
    for line in body.splitlines():
        for match in LETTER_WORD.finditer(line):
            word = match.group(0)
            parts = [p for p in word.lower().split("-") if p]
            if len(word) < MIN_WORD or word.isupper() or any(_everyday(p) for p in parts):
                continue
            corpus = context.corpus.get(word.lower())
            hint = _used_in(corpus)
            if word[0].islower() or _sentence_start(line, match.start()):
                yield JargonTerm(word.lower(), "term", hint)
            elif corpus:
                yield JargonTerm(word, "name", hint)


def _everyday(word: str) -> bool:
    """Common enough in general English, as written or without an inflection ("configures")."""
    forms = [word] + [word[: -len(end)] for end in INFLECTIONS if word.endswith(end)]
    forms += [word[:-3] + "y"] if word.endswith("ies") else []
    return any(zipf(form) >= RARE_ZIPF for form in forms if len(form) > 2)


def _sentence_start(line: str, position: int) -> bool:
    before = line[:position].rstrip()
    return not before or before.endswith((".", ":", "!", "?"))


def corpus_phrases(body: str, context: JargonContext):
    """Multi-word term candidates of the corpus that the brief uses, if one word is uncommon."""
    lowered = " " + " ".join(re.findall(r"[\w'-]+", body.lower())) + " "
    for form, term in context.corpus.items():
        words = form.split()
        if len(words) < 2 or f" {form} " not in lowered:
            continue
        if any(zipf(w) < UNCOMMON_ZIPF for w in re.findall(r"[^\W\d_]+", form)):
            yield JargonTerm(form, "term", _used_in(term))


def as_read_by(terms: list[JargonTerm], corpus: dict[str, CorpusTerm]) -> list[JargonTerm]:
    """Saved jargon with what the corpus said recomputed from `corpus`, the candidates of the
    documents one reader may read: a term that only the corpus made jargon (a corpus phrase,
    a capitalized rare word the lessons use) is dropped when that corpus does not have it."""
    kept = []
    for term in terms:
        known = corpus.get(" ".join(term.text.lower().split()))
        if term.kind == "code" or term.hint.startswith(BRIEF_SPELLS):
            hint = term.hint
        elif term.kind == "acronym":
            hint = _lessons_spell(known)
        elif known is None and _found_by_corpus(term):
            continue
        else:
            hint = _used_in(known)
        kept.append(JargonTerm(term.text, term.kind, hint))
    return kept


def _found_by_corpus(term: JargonTerm) -> bool:
    """corpus_phrases' terms (several words) and rare_words' capitalized names (one word)."""
    several = " " in term.text
    return (term.kind == "term" and several) or (term.kind == "name" and not several)
