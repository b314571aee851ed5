"""Hand-built spaCy docs, a fake pipeline and small corpora for the mining tests (no model
load; no tests in this file)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from indexer.terms import SourceDocument
from indexer.terms.doc_counts import count_document
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from tests.conftest import EXAMPLES

_VOCAB = spacy.blank("en").vocab
FUNCTION_POS = {
    "the": "DET", "a": "DET", "an": "DET", "of": "ADP", "in": "ADP", "on": "ADP",
    "for": "ADP", "to": "ADP", "and": "CCONJ", "or": "CCONJ", "was": "AUX", "is": "AUX",
    "were": "AUX", "we": "PRON", "it": "PRON", "they": "PRON", "very": "ADV",
}  # fmt: skip
ADJECTIVES = {"horizontal", "new", "large", "small", "quick", "high"}
VERBS = {"failed", "run", "runs", "ran", "found", "use", "used", "reviewed", "did", "do"}
PLURALS = {"turbines": "turbine", "blades": "blade", "analyses": "analysis", "rotors": "rotor"}


def tag(word: str) -> str:
    """A crude tagger good enough for hand-written test sentences."""
    lower = word.lower()
    if not any(char.isalnum() for char in word):
        return "PUNCT"
    if lower in FUNCTION_POS:
        return FUNCTION_POS[lower]
    if lower in ADJECTIVES:
        return "ADJ"
    if lower in VERBS:
        return "VERB"
    if word.isdigit():
        return "NUM"
    return "PROPN" if word[0].isupper() else "NOUN"


def make_doc(
    tokens: list[str], spaces: list[bool] | None = None, pos: list[str] | None = None
) -> Doc:
    """A tagged, lemmatized, sentence-split Doc; a token "\\n" ends a line."""
    spaces = spaces if spaces is not None else [True] * len(tokens)
    tags = pos or [("SPACE" if t == "\n" else tag(t)) for t in tokens]
    lemmas = [PLURALS.get(t.lower(), t if tag(t) == "PROPN" else t.lower()) for t in tokens]
    starts = [i == 0 or tokens[i - 1] in {".", "\n"} for i in range(len(tokens))]
    return Doc(_VOCAB, words=tokens, spaces=spaces, pos=tags, lemmas=lemmas, sent_starts=starts)


def doc_from_text(text: str) -> Doc:
    """Tokenize on spaces (punctuation must be spaced out) and tag with `tag`."""
    return make_doc(text.split())


class FakeNlp:
    """Stands in for the spaCy pipeline: the blank tokenizer plus the crude tagger."""

    def __init__(self):
        self._nlp = spacy.blank("en")

    def pipe(self, texts, batch_size: int = 16, n_process: int = 1):
        for text in texts:
            tokens = self._nlp.make_doc(text)
            words = [t.text for t in tokens]
            spaces = [bool(t.whitespace_) for t in tokens]
            pos = ["SPACE" if t.is_space else tag(t.text) for t in tokens]
            yield make_doc(words, spaces, pos)


class CountingNlp(FakeNlp):
    """The fake pipeline, remembering every text it was asked to parse."""

    def __init__(self):
        super().__init__()
        self.parsed: list[str] = []

    def pipe(self, texts, batch_size: int = 16, n_process: int = 1):
        for text in texts:
            self.parsed.append(text)
            yield from super().pipe([text])


# Nine documents from all departments that share terms, cut short: the crude fake tagger
# makes nearly every word a noun, hence many candidates and slow ranking on full texts.
EVERY_NTH_FILE = 8
MAX_CHARS = 600


def example_documents() -> list[SourceDocument]:
    paths = sorted((EXAMPLES / "corpus").rglob("*.md"))[::EVERY_NTH_FILE]
    texts = [path.read_text(encoding="utf-8")[:MAX_CHARS] for path in paths]
    return [
        SourceDocument(path.stem, text, {"department": path.parent.name})
        for path, text in zip(paths, texts, strict=True)
    ]


def settings_for(kb_dir) -> Settings:
    return Settings(kb_dir=kb_dir, embedder="fake", progress=False, glossary_mining=True)


def candidates(settings: Settings) -> list[dict]:
    """The candidate rows an index holds, as the glossary pages read them."""
    return KnowledgeBase(settings).store.candidates.all()


def counted_examples():
    """`example_documents` and their counts, parsed by the fake pipeline."""
    documents = example_documents()
    found = [count_document(doc) for doc in FakeNlp().pipe(d.text for d in documents)]
    return documents, found
