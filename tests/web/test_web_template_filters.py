"""The Jinja filters: safe query highlighting and safe Markdown."""

from __future__ import annotations

from markupsafe import Markup

from web.template_filters import (
    display_value,
    document_path,
    highlight,
    is_web_link,
    render_markdown,
)


def test_template_filters_highlight_marks_whole_words_in_every_form_search_matches():
    # Search matches by FTS5's Porter stems: "vendors" and "delayed" match "vendor delays".
    result = highlight("Vendor delays hit the vendors, a VENDOR and subvendors.", "vendor delayed")
    assert isinstance(result, Markup)
    assert result == (
        "<mark>Vendor</mark> <mark>delays</mark> hit the <mark>vendors</mark>,"
        " a <mark>VENDOR</mark> and subvendors."
    )


def test_template_filters_highlight_marks_a_hyphenated_term_as_the_phrase_it_matches():
    result = highlight("Two hand-offs and a hand off failed; hands were full.", "hand-offs")
    assert result == (
        "Two <mark>hand-offs</mark> and a <mark>hand off</mark> failed; hands were full."
    )


def test_template_filters_highlight_ignores_stopwords():
    assert (
        highlight("the plan and the budget", "the budget") == "the plan and the <mark>budget</mark>"
    )


def test_template_filters_highlight_escapes_html():
    result = highlight("<script>alert(1)</script> vendor", "vendor")
    assert result == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>vendor</mark>"


def test_template_filters_highlight_never_breaks_entities():
    result = highlight("a < b & c", "lt amp")
    assert result == "a &lt; b &amp; c"
    assert highlight("x", "<b>") == "x"


def test_template_filters_highlight_without_query_escapes_only():
    assert highlight("<b>bold</b>", "") == "&lt;b&gt;bold&lt;/b&gt;"
    assert highlight(None, "x") == ""


def test_template_filters_markdown_renders_commonmark_and_tables():
    html = render_markdown("**bold**\n\n| a | b |\n| --- | --- |\n| 1 | 2 |")
    assert "<strong>bold</strong>" in html
    assert "<table>" in html


def test_template_filters_markdown_table_scrolls_in_a_box_keyboards_reach():
    html = render_markdown("| a | b |\n| --- | --- |\n| 1 | 2 |")
    assert html.startswith('<div class="table-scroll" tabindex="0" role="region"')
    assert html.rstrip().endswith("</table>\n</div>")


def test_template_filters_markdown_shows_raw_html_as_text():
    html = render_markdown("Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>")
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_template_filters_markdown_refuses_javascript_links():
    assert 'href="javascript:' not in render_markdown("[click](javascript:alert(1))")


def test_template_filters_is_web_link_allows_only_http():
    assert is_web_link("https://example.org") and is_web_link("HTTP://example.org")
    assert not is_web_link("javascript:alert(1)")
    assert not is_web_link("file:///etc/passwd")
    assert not is_web_link("")


def test_template_filters_display_value_and_document_path():
    assert display_value(["a", "b"]) == "a, b"
    assert display_value({"k": 1}) == '{"k": 1}'
    assert document_path("finance/q1 #2") == "/documents/finance%2Fq1%20%232"
