"""index_published, as kb serve hands it to the web app: the files just published become
searchable at once, and the index's other sources stay as they were."""

from __future__ import annotations

from indexer import run_index
from indexer.publish import index_published
from kb.knowledge_base import KnowledgeBase
from kb.search.request import SearchRequest
from tests.conftest import markdown_doc


def ids_for(settings, query: str) -> list[str]:
    kb = KnowledgeBase(settings)
    return [hit.id for hit in kb.search(SearchRequest(query, k=10, mode="keyword"))]


def test_publish_index_published_adds_files_and_keeps_other_sources(fake_settings, write_doc):
    write_doc("old.md", markdown_doc("Vendor lead times doubled", extra_front="id: old\n"))
    assert not run_index([write_doc.root], fake_settings).errors
    published = fake_settings.kb_dir / "contributions" / "eng" / "new.md"
    published.parent.mkdir(parents=True)
    text = markdown_doc(
        "Seals shrink in cold storage",
        sections={"Lesson": "Qualify the pump seals at the coldest temperature."},
        extra_front="id: new\n",
    )
    published.write_text(text, encoding="utf-8")
    index_published([published], fake_settings)
    assert ids_for(fake_settings, "pump seals coldest") == ["new"]
    assert ids_for(fake_settings, "vendor lead times") == ["old"]
