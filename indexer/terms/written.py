"""How a candidate is written: its most common written form, for the label editors see.

Candidates are counted lower-cased, so "Mars Exploration Rover" and "MER" became "mars
exploration rover" and "mer". Each (document, surface form) pair keeps the sentence of its
first occurrence, which shows how that document writes it; the most common form over the
documents is the label. A sentence's first word and a title-like line capitalize anything,
so they count only when nothing else shows the form (a sentence's first word as lower-case).
"""

from __future__ import annotations

from collections import Counter

from indexer.terms.corpus_counts import CorpusCounts

# Documents read per surface form: a label is settled long before a term's 1,000th use.
MAX_SENTENCES = 50
_TITLE_SHARE = 0.6  # capitalized words in a line that is a title, not prose


def written_form(counts: CorpusCounts, surface_id: int) -> str:
    """The most common written form of the surface form ``surface_id``."""
    surface = counts.names[surface_id]
    votes, weak = Counter(), Counter()
    docs, numbers, sentences = counts.pairs.row_lists
    for row in counts.pairs.by_surface.rows(surface_id)[:MAX_SENTENCES]:
        found = form_in(counts.contexts[sentences[row]], surface)
        if found is not None:
            form, clear = found
            (votes if clear else weak)[form] += numbers[row]
    for tally in (votes, weak):
        if tally:
            return max(tally.items(), key=lambda item: (item[1], item[0] == surface))[0]
    all_caps = counts.totals["all_caps"][surface_id] * 2 >= counts.totals["count"][surface_id]
    return surface.upper() if all_caps else surface


def form_in(sentence: str, surface: str) -> tuple[str, bool] | None:
    """The form ``surface`` takes in ``sentence``, and whether it shows its case clearly."""
    lowered = sentence.lower()
    at = lowered.find(surface)
    if at < 0 or len(lowered) != len(sentence):  # absent, or lower() changed the length
        return None
    form = sentence[at : at + len(surface)]
    opens = not any(char.isalnum() for char in sentence[:at])
    if opens and not any(char.isupper() for char in form[1:]):
        return surface, False  # "Engineers" opening a sentence: most likely "engineers"
    return form, not _title_like(sentence)


def _title_like(sentence: str) -> bool:
    words = [word for word in sentence.split() if len(word) > 3 and word[0].isalpha()]
    capitalized = sum(word[0].isupper() for word in words)
    return len(words) >= 2 and capitalized >= _TITLE_SHARE * len(words)
