"""Document pages mark approved glossary terms with their definition."""

from markupsafe import Markup

from web.glossary_marks import TermMark, mark_terms

MARKS = {
    "rca": TermMark("root-cause-analysis", "root cause analysis", 'Why it failed <"really">'),
    "root cause analysis": TermMark("root-cause-analysis", "root cause analysis", "Why it failed"),
    "sla": TermMark("sla", "service level agreement", "What we promise"),
}


def test_glossary_marks_first_mention_with_escaped_definition():
    html = Markup("<p>Our RCA showed the root cause analysis was late. Another RCA.</p>")
    out = str(mark_terms(html, MARKS))
    assert out.count('class="glossary-term"') == 1  # one term, marked once per section
    assert 'href="/glossary/terms/root-cause-analysis"' in out
    assert 'data-definition="Why it failed &lt;&#34;really&#34;&gt;"' in out
    assert ">RCA</a> showed" in out


def test_glossary_marks_skip_links_code_and_partial_words():
    html = Markup('<p><a href="/x">SLA</a> <code>SLA</code> SLAs slack</p>')
    assert str(mark_terms(html, MARKS)) == str(html)


def test_glossary_marks_leave_html_without_terms_alone():
    html = Markup("<p>Nothing to see &amp; here</p>")
    assert mark_terms(html, MARKS) == html and mark_terms(html, {}) == html


def test_glossary_marks_on_the_document_page(tmp_path):
    from fastapi.testclient import TestClient

    from kb.glossary import Glossary
    from tests.kb.glossary.glossary_support import ENGINEERING, build_index
    from web.app import create_app

    settings = build_index(tmp_path)
    glossary = Glossary(settings.kb_dir)
    editor = glossary.auth.create_user("ed", "a long passphrase", "editor")
    csv = (
        "key,label,definition,acronym,synonyms,related,owner,status\n"
        "lead-time,lead time,Days from order to delivery,,lead times,,ed,approved\n"
    )
    glossary.import_file(editor, csv.encode(), "terms.csv")
    page = TestClient(create_app(settings)).get(f"/documents/{ENGINEERING}")
    assert page.status_code == 200
    assert 'data-definition="Days from order to delivery"' in page.text
    assert 'href="/glossary/terms/lead-time"' in page.text
