"""A hint for editors: candidates that departments use in different senses.

For each candidate that several departments use, the words around its occurrences (a window
of WINDOW words either side, within the sentence, in the documents' full text) are its
evidence (`kb.glossary.contested_context`: no dates, numbers or person-like names, each word
weighed by its lift over the department's own rate, so templates and boilerplate weigh
nothing). Documents quoting one passage are one source; a department counts only with
MIN_SOURCES sources, and not when the term is its boilerplate (in over BOILERPLATE_SHARE of
its documents, like "proximate cause" in an incident template). Each department's sources
are split into two halves, so the same comparison can be made within a department and
across two:

- `within`: how alike the two halves of one department's contexts are (its own consistency);
- `across`: how alike the halves of two departments are.

A word used in one sense everywhere has `across` about as high as `within`; a word that two
departments use consistently but differently ("release" to Engineering and to HR) has
`across` well below `within`. That gap, averaged over the pairs of departments weighted by
the smaller one's sources, is the term's divergence; under MIN_SEPARATION it is dropped.
Because a quoted passage stays in one half, `within` comes from distinct sources only.
The list is ranked by divergence times log2(1 + sources), "how differently, by use"; the
documents shown are all those with the term in context, copies included.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations

from kb.collector import collector_paused
from kb.glossary.contested_context import (
    Background,
    Forms,
    Occurrences,
    occurrences,
    sentence_words,
)
from kb.glossary.contested_evidence import keep_evidence, readable_evidence
from kb.glossary.contested_model import ContestedTerm, DepartmentUsage
from kb.glossary.model import Candidate
from kb.glossary.readable import readable_candidates
from kb.index.candidates import Access
from kb.index.store import Store

MIN_DOCUMENTS = 4  # sources (documents not quoting one passage) a department needs
MIN_SEPARATION = 0.05
MIN_CONSISTENCY = 0.05  # within-department alikeness below which a department is no evidence
BOILERPLATE_SHARE = 0.3  # "proximate" is in 38% of SSC's lessons; "Orbiter" in 26% of KSC's
WORDS_SHOWN = 6

Bag = dict[str, float]


def cosine(a: Bag, b: Bag) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b[word] for word, weight in a.items() if word in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


class Corpus:
    """Each candidate's windows per document (`found`), each document's department and the
    background; `read` takes them from the texts, kb.glossary.contested_evidence from the
    index."""

    def __init__(
        self,
        found: dict[str, dict[str, Occurrences]],
        departments: dict[str, str],
        background: Background,
    ):
        self.found = found
        self.departments = departments
        self.background = background
        self.names = background.names()

    @classmethod
    def read(cls, candidates: list[Candidate], documents: Iterable[tuple[str, str, str]]) -> Corpus:
        """From (doc id, department, text) of the documents, read in one pass (each text's
        words are dropped once its candidates' windows are taken)."""
        using: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            for doc_id in candidate.doc_ids:
                using[doc_id].append(candidate)
        forms = {c.term: Forms(c) for c in candidates}
        found: dict[str, dict[str, Occurrences]] = defaultdict(dict)
        departments: dict[str, str] = {}
        background = Background()
        for doc_id, department, text in documents:
            tokens = sentence_words(text)
            where: dict[str, list[int]] = defaultdict(list)
            for position, token in enumerate(tokens):
                where[token].append(position)
            background.add(department, text, where.keys())
            departments[doc_id] = department
            for candidate in using.get(doc_id, ()):
                occurrence = occurrences(tokens, where, forms[candidate.term])
                if occurrence.bag:
                    found[candidate.term][doc_id] = occurrence
        return cls(found, departments, background)

    def using(self, term: str) -> Counter[str]:
        """Per department, its documents with `term` in context."""
        return Counter(self.departments[doc_id] for doc_id in self.found.get(term, {}))

    def sources(self, term: str) -> dict[str, list[Counter]]:
        """Per department, the term's sources' context bags: documents whose windows share a
        run of words quote one passage, and are one source (a copied or serial lesson)."""
        by_department: dict[str, list[tuple[str, Occurrences]]] = defaultdict(list)
        for doc_id, found in sorted(self.found.get(term, {}).items()):
            by_department[self.departments[doc_id]].append((doc_id, found))
        return {d: _merge_quoted(found) for d, found in sorted(by_department.items())}

    def lifts(self, department: str, bags: list[Counter]) -> Bag:
        """Per word, log of its share of the term's sources over its department-wide rate
        (Background.rate, inlined: a third of judging a term was its calls): positive only
        for words the term brings, never for a name."""
        present: Counter[str] = Counter()
        for bag in bags:
            present.update(w for w in bag if w not in self.names)
        size = self.background.sizes[department]
        frequency = self.background.frequency[department]
        lifts = {}
        for word, n in present.items():
            rate = (frequency[word] + 1) / (size + 1) if size else 1.0
            lift = math.log(n / len(bags) / rate)
            if lift > 0:
                lifts[word] = lift
        return lifts


def _merge_quoted(found: list[tuple[str, Occurrences]]) -> list[Counter]:
    """The documents' bags, those sharing a run of words (transitively) merged into one."""
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[int, int] = {}
    for i, (_, occurrence) in enumerate(found):
        for run in occurrence.runs:
            other = first.setdefault(run, i)
            if other != i:  # a run met before: the two documents quote one passage
                parent[root(i)] = root(other)
    # In the order of each group's first document: which document ends up the root depends
    # on the order runs are met in (a set's), which must not decide the halves.
    merged: dict[int, Counter] = {}
    for i, (_, occurrence) in enumerate(found):
        merged.setdefault(root(i), Counter()).update(occurrence.bag)
    return list(merged.values())


def weighted(counts: Iterable[Counter], lifts: Bag) -> Bag:
    """The bag of some sources' contexts: log-scaled counts times the words' lift."""
    total: Counter[str] = Counter()
    for bag in counts:
        total.update(bag)
    return {w: (1 + math.log(n)) * lifts[w] for w, n in total.items() if w in lifts}


def judge(candidate: Candidate, corpus: Corpus) -> ContestedTerm | None:
    """The candidate as a contested term, or None without evidence of different senses."""
    return judge_term(candidate.term, candidate.display, corpus)


def judge_term(term: str, display: str, corpus: Corpus) -> ContestedTerm | None:
    """`judge` of the candidate `term`, shown as `display`."""
    bags = evidence(term, corpus)
    lifts = {d: corpus.lifts(d, b) for d, b in bags.items()}
    halves = {
        d: (weighted(b[0::2], lifts[d]), weighted(b[1::2], lifts[d])) for d, b in bags.items()
    }
    # A department whose halves share no weighed word uses the term no consistent way.
    bags = {d: b for d, b in bags.items() if cosine(*halves[d]) >= MIN_CONSISTENCY}
    if len(bags) < 2:
        return None
    same, across = alike({d: halves[d] for d in bags}, {d: len(b) for d, b in bags.items()})
    if same - across < MIN_SEPARATION:
        return None
    sources = sum(len(b) for b in bags.values())
    using = corpus.using(term)
    return ContestedTerm(
        term=term,
        display=display,
        score=round((same - across) * math.log2(1 + sources), 4),
        within=round(same, 3),
        across=round(across, 3),
        documents=sum(using[d] for d in bags),
        departments=_usage(bags, lifts, using),
    )


def evidence(term: str, corpus: Corpus) -> dict[str, list[Counter]]:
    """Per department with MIN_DOCUMENTS sources or more, where the term is not boilerplate
    (in over BOILERPLATE_SHARE of the department's documents), its sources' bags."""
    using = corpus.using(term)
    return {
        department: bags
        for department, bags in corpus.sources(term).items()
        if len(bags) >= MIN_DOCUMENTS
        and corpus.background.share(department, using[department]) <= BOILERPLATE_SHARE
    }


def alike(halves: dict[str, tuple[Bag, Bag]], sources: dict[str, int]) -> tuple[float, float]:
    """How alike contexts are within a department (its two `halves`) and across two,
    averaged over the pairs of departments weighted by the smaller one's `sources`."""
    within = {d: cosine(*pair) for d, pair in halves.items()}
    weight = same = across = 0.0
    for a, b in combinations(halves, 2):
        share = min(sources[a], sources[b])
        weight += share
        same += share * (within[a] + within[b]) / 2
        across += share * sum(cosine(x, y) for x in halves[a] for y in halves[b]) / 4
    return same / weight, across / weight


def _usage(
    bags: dict[str, list[Counter]], lifts: dict[str, Bag], using: Counter[str]
) -> tuple[DepartmentUsage, ...]:
    """Per department, its sources and the context words most its own (by weight, less the
    word's mean weight in the other departments' contexts); a word of one source only says
    nothing of the department's use, so a word shown recurs."""
    weights = {d: weighted(b, _recurring(b, lifts[d])) for d, b in bags.items()}
    out = []
    for department, bag in weights.items():
        others: Counter[str] = Counter()
        for other, other_bag in weights.items():
            if other != department:
                others.update(other_bag)
        share = len(weights) - 1
        own = sorted(bag, key=lambda w: (-(bag[w] - others[w] / share), w))[:WORDS_SHOWN]
        out.append(DepartmentUsage(department, using[department], tuple(own)))
    return tuple(sorted(out, key=lambda u: (-u.documents, u.department)))


def _recurring(bags: list[Counter], lifts: Bag) -> Bag:
    """`lifts` of the words in two or more of `bags`."""
    sources = Counter(w for bag in bags for w in bag)
    return {w: lift for w, lift in lifts.items() if sources[w] >= 2}


def contested_terms(
    candidates: Iterable[Candidate], documents: Iterable[tuple[str, str, str]]
) -> list[ContestedTerm]:
    """Candidates used differently by departments, highest score first. `documents` are
    (doc id, department, text) of the corpus the candidates were mined from."""
    several = shared(candidates)
    return ranked(((c.term, c.display) for c in several), Corpus.read(several, documents))


def shared(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates that could be contested: accepted, used by several departments."""
    return [c for c in candidates if c.accepted and len(c.departments) >= 2]


def ranked(terms: Iterable[tuple[str, str]], corpus: Corpus) -> list[ContestedTerm]:
    """Those of (term, display) `terms` judged contested on `corpus`, highest score first."""
    found = [judge_term(term, display, corpus) for term, display in terms]
    return sorted((t for t in found if t is not None), key=lambda t: (-t.score, t.term))


def rank_contested(store: Store) -> int:
    """Rank the contested candidates of `store` and store them in it, with the evidence a
    viewer's view is judged on (kb.glossary.contested_evidence; the caller commits); how
    many there are. Mining calls this after storing the candidates."""
    if not store.candidates.available():
        return 0
    several = shared(Candidate.from_row(row) for row in store.candidates.all())
    corpus = Corpus.read(several, _texts(store))
    found = ranked(((c.term, c.display) for c in several), corpus)
    store.contested.replace([(term.term, term.to_dict()) for term in found])
    keep_evidence(store, several, corpus.found, _texts(store))
    return len(found)


def _texts(store: Store) -> Iterator[tuple[str, str, str]]:
    for _, doc_id, department, title, body in store.documents.texts():
        yield doc_id, department, f"{title}\n\n{body}"


def readable_contested(store: Store, access: Access) -> list[ContestedTerm]:
    """The contested terms as if the index held only the documents `access` passes: the
    candidates those documents use, judged on their texts alone (a department's evidence
    and counts never come from a document the viewer may not read). From the evidence kept
    at index time when the index has it, else by reading the readable texts again."""
    kept = readable_evidence(store, access, MIN_DOCUMENTS)
    if kept is not None:
        with collector_paused():
            return ranked(kept.terms, Corpus(kept.found, kept.departments, kept.background))
    pool = shared(Candidate.from_row(row) for row in store.candidates.all())  # none gains one
    shown = readable_candidates(store, access, pool, recount=False)
    documents = store.candidates.readable_texts(access)
    return contested_terms(shown, documents)
