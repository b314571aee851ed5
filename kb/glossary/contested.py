"""A hint for editors: candidates that departments use in different senses.

For each candidate that several departments use, the words around its occurrences (a window
of WINDOW words either side, in the documents' full text) form, per department, a TF-IDF
weighted bag. A department counts only with MIN_DOCUMENTS documents using the term; each
department's documents are split into two halves, so the same comparison can be made within
a department and across two:

- `within`: how alike the two halves of one department's contexts are (its own consistency);
- `across`: how alike the halves of two departments are.

A word used in one sense everywhere has `across` about as high as `within`; a word that two
departments use consistently but differently ("release" to Engineering and to HR) has
`across` well below `within`. That gap, averaged over the pairs of departments weighted by
the smaller one's documents, is the term's divergence; with too little evidence (under
MIN_SEPARATION) it is dropped. Comparing halves with halves keeps both figures at the same
sample size, so a term seen in few documents is not contested merely for lack of words.
The list is ranked by divergence times log2(1 + documents), "how differently, by use".
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

from kb.glossary.contested_model import ContestedTerm, DepartmentUsage
from kb.glossary.model import Candidate
from kb.index.store import Store
from kb.text import CONTEXT_STOPWORDS, prose_words

WINDOW = 8
MIN_DOCUMENTS = 4
MIN_SEPARATION = 0.05
WORDS_SHOWN = 6

Bag = dict[str, float]


ENTITY = re.compile(r"&#?\w+;")  # markup residue (&quot; &#39;) is not a context word


SENTENCE_END = re.compile(r"[.!?;:]\s|\n")
BOUNDARY = "|"  # between sentences: a window never crosses one


def words(text: str) -> list[str]:
    return [
        w.strip("'-")
        for w in prose_words(ENTITY.sub(" ", text.casefold()))
        if len(w.strip("'-")) > 1
    ]


def sentence_words(text: str) -> list[str]:
    """The words of a text, with BOUNDARY between its sentences."""
    out: list[str] = []
    for sentence in SENTENCE_END.split(text):
        out.extend(words(sentence))
        out.append(BOUNDARY)
    return out


MARKUP = frozenset({"quot", "amp", "nbsp", "apos", "lt", "gt"})  # entities that lost their &


def context_word(word: str, own: set[str]) -> bool:
    """A word worth comparing: not the term's own, no stopword, markup, number or code."""
    if word in own or word in CONTEXT_STOPWORDS or word in MARKUP or word == BOUNDARY:
        return False
    return not any(c.isdigit() for c in word)


def cosine(a: Bag, b: Bag) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b[word] for word, weight in a.items() if word in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


class Forms:
    """A candidate's forms as word sequences, and every word in them (left out of bags)."""

    def __init__(self, candidate: Candidate):
        written = (candidate.term, *candidate.surface_forms, candidate.acronym, candidate.expansion)
        forms = {tuple(words(form)) for form in written if form}
        forms.discard(())
        self.sequences = sorted(forms)
        self.words = {w for form in forms for w in form}


def contexts(tokens: list[str], where: dict[str, list[int]], forms: Forms) -> Counter:
    """The words within WINDOW of each occurrence of a form in one document's `tokens`."""
    bag: Counter[str] = Counter()
    for form in forms.sequences:
        for start in where.get(form[0], ()):
            end = start + len(form)
            if tuple(tokens[start:end]) != form:
                continue
            before = tokens[max(0, start - WINDOW) : start]
            after = tokens[end : end + WINDOW]
            before = (
                before[len(before) - before[::-1].index(BOUNDARY) :]
                if BOUNDARY in before
                else before
            )
            after = after[: after.index(BOUNDARY)] if BOUNDARY in after else after
            bag.update(w for w in before + after if context_word(w, forms.words))
    return bag


class Corpus:
    """Each candidate's context words per document, read in one pass over the documents
    (each text's words are dropped once its candidates' contexts are taken), and each
    department's IDF: words most of a department's documents share (its templates, its
    authors' names, its boilerplate) weigh next to nothing in its bags, or every term a
    templated department uses would look consistent there and different elsewhere."""

    def __init__(self, candidates: list[Candidate], documents: Iterable[tuple[str, str, str]]):
        using: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            for doc_id in candidate.doc_ids:
                using[doc_id].append(candidate)
        forms = {c.term: Forms(c) for c in candidates}
        self.bags: dict[str, dict[str, Counter]] = defaultdict(dict)
        self.departments: dict[str, str] = {}
        frequency: dict[str, Counter[str]] = defaultdict(Counter)
        for doc_id, department, text in documents:
            tokens = sentence_words(text)
            where: dict[str, list[int]] = defaultdict(list)
            for position, token in enumerate(tokens):
                where[token].append(position)
            frequency[department].update(where.keys())
            self.departments[doc_id] = department
            for candidate in using.get(doc_id, ()):
                bag = contexts(tokens, where, forms[candidate.term])
                if bag:
                    self.bags[candidate.term][doc_id] = bag
        sizes = Counter(self.departments.values())
        self.idf = {
            department: {w: math.log((sizes[department] + 1) / n) for w, n in counts.items()}
            for department, counts in frequency.items()
        }

    def weighted(self, department: str, counts: Iterable[Counter]) -> Bag:
        """The TF-IDF bag of some of a department's documents' contexts (log-scaled counts)."""
        total: Counter[str] = Counter()
        for bag in counts:
            total.update(bag)
        idf = self.idf.get(department, {})
        return {w: (1 + math.log(n)) * idf.get(w, 0.0) for w, n in total.items() if n}


def judge(candidate: Candidate, corpus: Corpus) -> ContestedTerm | None:
    """The candidate as a contested term, or None without evidence of different senses."""
    bags = evidence(candidate, corpus)
    if len(bags) < 2:
        return None
    same, across = alike(bags, corpus)
    if same - across < MIN_SEPARATION:
        return None
    documents = sum(len(b) for b in bags.values())
    return ContestedTerm(
        term=candidate.term,
        display=candidate.display,
        score=round((same - across) * math.log2(1 + documents), 4),
        within=round(same, 3),
        across=round(across, 3),
        documents=documents,
        departments=_usage(corpus, bags),
    )


def evidence(candidate: Candidate, corpus: Corpus) -> dict[str, list[Counter]]:
    """Per department with MIN_DOCUMENTS or more, its documents' context bags; a passage
    repeated in several documents (a copied lesson) is one piece of evidence."""
    by_department: dict[str, dict[frozenset, Counter]] = defaultdict(dict)
    for doc_id, bag in sorted(corpus.bags.get(candidate.term, {}).items()):
        by_department[corpus.departments[doc_id]].setdefault(frozenset(bag.items()), bag)
    return {
        department: list(unique.values())
        for department, unique in sorted(by_department.items())
        if len(unique) >= MIN_DOCUMENTS
    }


def alike(bags: dict[str, list[Counter]], corpus: Corpus) -> tuple[float, float]:
    """How alike contexts are within a department and across two, averaged over the pairs
    of departments weighted by the smaller one's documents."""
    halves = {
        d: (corpus.weighted(d, b[0::2]), corpus.weighted(d, b[1::2])) for d, b in bags.items()
    }
    within = {d: cosine(*pair) for d, pair in halves.items()}
    weight = same = across = 0.0
    for a, b in combinations(bags, 2):
        share = min(len(bags[a]), len(bags[b]))
        weight += share
        same += share * (within[a] + within[b]) / 2
        across += share * sum(cosine(x, y) for x in halves[a] for y in halves[b]) / 4
    return same / weight, across / weight


def _usage(corpus: Corpus, bags: dict[str, list[Counter]]) -> tuple[DepartmentUsage, ...]:
    """Per department, its documents and the context words most its own (by TF-IDF weight,
    less the word's weight in the other departments' contexts)."""
    weighted = {d: corpus.weighted(d, b) for d, b in bags.items()}
    out = []
    for department, bag in weighted.items():
        others: Counter[str] = Counter()
        for other, other_bag in weighted.items():
            if other != department:
                others.update(other_bag)
        share = len(weighted) - 1
        own = sorted(bag, key=lambda w: (-(bag[w] - others[w] / share), w))[:WORDS_SHOWN]
        out.append(DepartmentUsage(department, len(bags[department]), tuple(own)))
    return tuple(sorted(out, key=lambda u: (-u.documents, u.department)))


def contested_terms(
    candidates: Iterable[Candidate], documents: Iterable[tuple[str, str, str]]
) -> list[ContestedTerm]:
    """Candidates used differently by departments, highest score first. `documents` are
    (doc id, department, text) of the corpus the candidates were mined from."""
    several = [c for c in candidates if c.accepted and len(c.departments) >= 2]
    corpus = Corpus(several, documents)
    found = [term for term in (judge(c, corpus) for c in several) if term is not None]
    return sorted(found, key=lambda t: (-t.score, t.term))


def rank_contested(store: Store) -> int:
    """Rank the contested candidates of `store` and store them in it (the caller commits);
    how many there are. Mining calls this after storing the candidates."""
    if not store.candidates.available():
        return 0
    candidates = [Candidate.from_row(row) for row in store.candidates.all()]
    documents = (
        (doc_id, department, f"{title}\n\n{body}")
        for _, doc_id, department, title, body in store.documents.texts()
    )
    found = contested_terms(candidates, documents)
    store.contested.replace([(term.term, term.to_dict()) for term in found])
    return len(found)
