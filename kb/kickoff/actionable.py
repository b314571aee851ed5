"""Whether a sentence is something a team can do at a kickoff, and says so on its own.

A checklist line must be an action: an imperative ("Name an owner for each interface
control document.") or a recommendation with should/must/need to ("Projects should budget
for acceptance tests."). It must also stand alone: not lean on what came before ("In
particular, the replacement…", "This means…") or point elsewhere ("Reference (4) provides…").
Statements of fact ("A contract cycle is part of the sales cycle.") and hindsight ("should
have checked") are not actions.
"""

from __future__ import annotations

import re

from kb.kickoff.vocabulary import base_verbs
from kb.text.words import STOPWORDS

MIN_WORDS = 5
# Obligation or advice anywhere in the sentence, not in hindsight ("should have").
_ADVICE = re.compile(
    r"\b(?:should|must|shall|ought to|needs? to|have to|has to|recommends?(?:ed)? that|"
    r"(?:is|are) (?:strongly )?(?:recommended|required|essential|necessary|critical)|"
    r"it is (?:important|essential|critical|necessary|advisable)|be sure to|make sure)\b"
    r"(?! have\b)",
    re.IGNORECASE,
)
# Words that open a sentence leaning on the one before, or pointing away from it.
_LEANING = re.compile(
    r"^(?:in particular|also|however|therefore|thus|hence|in addition|additionally|"
    r"furthermore|moreover|similarly|likewise|as a result|as such|for example|for instance|"
    r"e\.g\.|i\.e\.|this|these|that|those|it|its|they|their|such|both|the above|"
    r"the following|reference|references|see|finally|then|otherwise|in this case|"
    r"in that case|here|there|again|instead|meanwhile|so|but|and|or|because|yet)\b",
    re.IGNORECASE,
)
_POINTING = re.compile(
    r"\b(?:references?|refs?\.?|appendix|enclosure|attachment|figure|table)\s*\(?\d|"
    r"\(see\b|\bsee (?:above|below)\b|\babove-mentioned\b|\bclick here\b|"
    r"\bthis (?:lesson|document|report|video)\b",
    re.IGNORECASE,
)
# After an imperative verb comes what it acts on: an article, a quantifier, a possessive.
_OBJECT_START = frozenset(
    "the a an all any each every that this these those their your our its adequate "
    "sufficient clear early enough formal independent regular periodic written".split()
)
_NOT_VERBS = STOPWORDS | frozenset(
    "every many several much one another either neither none everyone everything".split()
)
_NOT_VERB_ENDINGS = ("ed", "ing", "ly")
_NOUN_ENDINGS = ("tion", "ment", "ness", "ity", "ance", "ence")  # unless an object follows
# A finite verb after the first word makes that word a subject ("Test results showed…").
_FINITE = frozenset(
    """is are was were has have had does did can could will would may might became led made
    took found went came left kept held got ran began saw gave brought built caught chose fell
    felt grew knew lost meant met paid said sent spent stood thought told won wrote""".split()
)
CLAUSE_WORDS = 8  # how far to look for that verb


def is_action(sentence: str) -> bool:
    """An imperative or a should/must recommendation that stands on its own."""
    text = sentence.strip()
    words = re.findall(r"[\w'’-]+", text)
    if len(words) < MIN_WORDS or text.endswith((":", "?")):
        return False
    if _LEANING.match(text) or _POINTING.search(text):
        return False
    return bool(_ADVICE.search(text)) or imperative(words)


def imperative(words: list[str]) -> bool:
    """Opens with a verb in its base form ("Ensure", "Do not", "Always verify"): a word the
    English verb index knows, followed by what it acts on and no finite verb soon after."""
    first, rest = words[0].lower(), [w.lower() for w in words[1:]]
    if first in ("always", "never") and rest:
        first, rest = rest[0], rest[1:]
    if first in ("do", "don't") and rest[:1] == ["not"]:
        return True
    if first in _NOT_VERBS or first.endswith(_NOT_VERB_ENDINGS) or _third_person(first):
        return False
    verbs = base_verbs()
    if verbs is not None and first not in verbs:
        return False  # "Vendor dates and change freezes compound": a noun opens it
    if not rest:
        return False
    # "Document all…"; "Consider using…", "Continue monitoring…": a verb taking a gerund.
    if rest[0] in _OBJECT_START or rest[0].endswith("ing"):
        return True
    if first.endswith(_NOUN_ENDINGS):
        return False
    return not any(w in _FINITE or (w.endswith("ed") and len(w) > 4) for w in rest[:CLAUSE_WORDS])


def _third_person(word: str) -> bool:
    """'Projects', 'Provides': a subject or a verb with -s, not 'Assess' or 'Focus'."""
    return word.endswith("s") and not word.endswith(("ss", "us"))
