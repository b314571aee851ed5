"""Kickoff pages and API: the form, preview then save, stable URLs, deletion, exports, JSON
twins, bad input. Saving and deleting run on SQLite and PostgreSQL, through two app
instances on one state database, as two servers behind a proxy."""

from __future__ import annotations

import io
import subprocess
import sys

import docx
import pytest
from fastapi.testclient import TestClient

from kb.kickoff import PackStore
from kb.state import StateDB
from tests.conftest import REPO
from tests.kb.glossary.glossary_support import FAST_HASHER
from tests.kb.kickoff.kickoff_support import BRIEF, KESTREL, build_example_index
from tests.web.glossary_support import csrf, login, make_app, on_state_database
from web.app import create_app
from web.kickoff_forms import KICKOFF_COOKIE

SCRIPT = "<script>alert('kickoff')</script>"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    base = build_example_index(tmp_path_factory.mktemp("kickoff-web"))
    return type(base)(**{**base.__dict__, "max_upload_bytes": 50_000})


@pytest.fixture(scope="module")
def client(settings) -> TestClient:
    return TestClient(create_app(settings))


def token(client: TestClient) -> str:
    page = client.get("/kickoff")
    assert page.status_code == 200
    return client.cookies[KICKOFF_COOKIE]


def submit(client: TestClient, files=None, **fields):
    """The form's submit: a preview."""
    data = {"csrf_token": token(client), "department": "Finance", **fields}
    return client.post("/kickoff", data=data, files=files, follow_redirects=False)


def save(client: TestClient, **fields):
    """The preview's save button."""
    data = {"csrf_token": token(client), "department": "Finance", **fields}
    return client.post("/kickoff/save", data=data, follow_redirects=False)


def saved_count(settings) -> int:
    state = StateDB.from_settings(settings)
    try:
        return len(PackStore(state).list())
    finally:
        state.dispose()


@pytest.fixture
def servers(settings, state_url):
    """Two app instances on one new state database at state_url (SQLite or PostgreSQL), as
    two servers; the test users are added through the first."""
    shared = on_state_database(settings, state_url)
    first = make_app(shared)
    second = create_app(shared)
    second.state.glossary.auth.hasher = FAST_HASHER
    yield first, second
    for application in (first, second):
        application.state.glossary.state.dispose()


def listed(client: TestClient) -> list[str]:
    """The URLs of the saved packs /kickoff/packs lists, newest first."""
    return [p["url"] for p in client.get("/kickoff/packs?format=json").json()["packs"]]


@pytest.fixture(scope="module")
def pack_url(client) -> str:
    response = save(client, brief=BRIEF, phase="initiation", tags="procurement, cutover")
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_web_kickoff_form_page_and_its_json_twin(client):
    page = client.get("/kickoff")
    assert page.status_code == 200
    html = page.text
    assert '<form class="stack-form kickoff-form" action="/kickoff" method="post"' in html
    assert 'name="csrf_token" value="' + client.cookies[KICKOFF_COOKIE] + '"' in html
    assert '<option value="Finance">Finance</option>' in html
    assert 'href="/kickoff" aria-current="page">Kickoff</a>' in html
    data = client.get("/kickoff?format=json").json()
    assert "Finance" in data["departments"] and data["max_bytes"] == 50_000
    assert data["api"] == "/api/kickoff"


def test_web_kickoff_app_starts_and_shows_the_form_without_sqlalchemy(settings):
    # SQLAlchemy (~0.15 s) loads when saved packs or accounts are first used, not at start
    code = (
        "import sys; from fastapi.testclient import TestClient; from kb.settings import Settings;"
        " from web.app import create_app;"
        f" settings = Settings(kb_dir={str(settings.kb_dir)!r}, embedder='fake');"
        " page = TestClient(create_app(settings)).get('/kickoff');"
        " print(page.status_code, 'sqlalchemy' in sys.modules)"
    )
    run = [sys.executable, "-c", code]
    out = subprocess.run(run, capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.split() == ["200", "False"]


def test_web_kickoff_nav_links_kickoff_on_every_page(client):
    assert '<a href="/kickoff">Kickoff</a>' in client.get("/formats").text


def test_web_kickoff_submit_previews_and_saves_nothing(client, settings):
    before = saved_count(settings)
    response = submit(client, brief=BRIEF, phase="initiation", tags="procurement, cutover")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Project Meridian: a new ERP for finance and procurement</h1>" in html
    assert "Preview: this pack is not saved." in html
    assert '<form class="inline-form pack-save" action="/kickoff/save" method="post">' in html
    assert 'name="tags" value="procurement, cutover"' in html
    assert f'href="/documents/{KESTREL}"' in html
    assert saved_count(settings) == before


def test_web_kickoff_save_needs_the_form_token_and_saves_once(servers):
    client = TestClient(servers[0])
    refused = client.post("/kickoff/save", data={"brief": BRIEF}, follow_redirects=False)
    assert refused.status_code == 403 and listed(client) == []
    url = save(client, brief=BRIEF).headers["location"]
    assert listed(client) == [url]


def test_web_kickoff_pack_saved_on_one_server_is_listed_by_the_other(servers):
    first, second = TestClient(servers[0]), TestClient(servers[1])
    older = save(first, brief=BRIEF).headers["location"]
    newer = save(second, brief=BRIEF, department="Operations").headers["location"]
    assert listed(first) == listed(second) == [newer, older]
    assert first.get(newer + "?format=json").json()["department"] == "Operations"
    assert "Project Meridian" in second.get(older + "/print").text


def test_web_kickoff_save_redirects_to_a_stable_url(client, pack_url):
    assert pack_url.startswith("/kickoff/packs/project-meridian-a-new-erp-for")
    page = client.get(pack_url)
    assert page.status_code == 200
    html = page.text
    assert "<h1>Project Meridian: a new ERP for finance and procurement</h1>" in html
    assert f'href="/documents/{KESTREL}"' in html
    assert "Other department</span>" in html
    assert "Why it matched:" in html and "Checklist for the kickoff meeting" in html
    assert "A period in which no changes go to production." in html
    assert f'href="{pack_url}/export.md"' in html and f'href="{pack_url}/print"' in html


def test_web_kickoff_pack_json_twin(client, pack_url):
    data = client.get(pack_url + "?format=json").json()
    assert data["id"] == pack_url.rsplit("/", 1)[1]
    assert data["department"] == "Finance" and data["phase"] == "initiation"
    assert data["tags"] == ["procurement", "cutover"]
    assert data["links"]["markdown"] == pack_url + "/export.md"
    lessons = [lesson for theme in data["themes"] for lesson in theme["lessons"]]
    assert len(lessons) == 12 and all(lesson["reason"] for lesson in lessons)
    assert client.get(pack_url + "/print?format=json").json()["id"] == data["id"]


def test_web_kickoff_markdown_export_downloads(client, pack_url):
    response = client.get(pack_url + "/export.md")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.headers["content-disposition"].startswith('attachment; filename="kickoff-')
    assert response.text.startswith("# Kickoff pack: Project Meridian")
    assert f"(http://testserver/documents/{KESTREL})" in response.text
    assert f"Saved at http://testserver{pack_url}" in response.text


def test_web_kickoff_printable_view_is_clean(client, pack_url):
    html = client.get(pack_url + "/print").text
    assert '<body class="print-view">' in html
    assert "Use your browser's Print command" in html
    assert "Download Markdown" not in html and "<details" not in html
    css = client.get("/static/style.css").text
    assert "@media print" in css and ".print-view .site-header" in css


def test_web_kickoff_saved_packs_list_and_json_twin(client, pack_url):
    html = client.get("/kickoff/packs").text
    assert f'href="{pack_url}"' in html
    listed = client.get("/kickoff/packs?format=json").json()["packs"]
    assert pack_url in [p["url"] for p in listed]
    assert {"id", "title", "department", "created_at", "lessons", "themes"} <= set(listed[0])


def test_web_kickoff_unknown_pack_is_404(client):
    assert client.get("/kickoff/packs/nope-123").status_code == 404
    assert client.get("/kickoff/packs/nope-123?format=json").json()["detail"]
    assert client.get("/kickoff/packs/nope-123/export.md").status_code == 404


def test_web_kickoff_uploaded_docx_charter(client):
    document = docx.Document()
    document.add_paragraph("Rack delivery programme", style="Title")
    document.add_paragraph("Two hardware vendors deliver racks; the lead time is six weeks.")
    buffer = io.BytesIO()
    document.save(buffer)
    files = {"charter": ("charter.docx", buffer.getvalue(), "application/octet-stream")}
    preview = submit(client, files=files, brief="")
    assert preview.status_code == 200
    assert "<h1>Rack delivery programme</h1>" in preview.text
    assert "the lead time is six weeks." in preview.text  # carried to the save form
    response = save(client, brief="# Rack delivery programme\n\nTwo vendors deliver racks late.")
    assert "/kickoff/packs/rack-delivery-programme-" in response.headers["location"]


def test_web_kickoff_post_without_csrf_token_is_refused_and_saves_nothing(client, settings):
    before = saved_count(settings)
    token(client)
    response = client.post("/kickoff", data={"brief": BRIEF}, follow_redirects=False)
    assert response.status_code == 403
    assert "CSRF" in response.text
    other = TestClient(client.app)  # no cookie at all
    assert other.post("/kickoff", data={"brief": BRIEF, "csrf_token": "x"}).status_code == 403
    assert saved_count(settings) == before


BAD_INPUTS = [
    ({"brief": ""}, None, 422, "The brief is empty"),
    ({"brief": "the and of it was"}, None, 422, "no words to search with"),
    ({"brief": "x" * 60_000}, None, 413, "larger than the 50,000-byte"),
    ({"brief": ""}, {"charter": ("huge.md", b"a " * 30_000, "text/markdown")}, 413, "huge.md is larger"),
    ({"brief": ""}, {"charter": ("blob.md", b"\x00\x01\xff" * 10, "text/markdown")}, 415, "binary"),
    ({"brief": ""}, {"charter": ("fake.docx", b"not a zip", "application/octet-stream")}, 415, "not a DOCX file"),
    ({"brief": ""}, {"charter": ("scan.pdf", b"%PDF-1.4", "application/pdf")}, 415, "upload a Markdown"),
    ({"brief": BRIEF, "k": "500"}, None, 422, "must be 1 to 30"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "files", "status", "message"), BAD_INPUTS)
def test_web_kickoff_bad_input_shows_a_message_and_saves_nothing(
    client, settings, fields, files, status, message
):
    before = saved_count(settings)
    response = submit(client, files=files, **fields)
    assert response.status_code == status
    assert '<p class="form-error" role="alert">' in response.text
    assert message in response.text
    assert saved_count(settings) == before


def test_web_kickoff_keeps_what_was_typed_after_a_refusal(client):
    response = submit(client, brief="the and of", phase="planning", tags="a, b")
    assert response.status_code == 422
    assert ">the and of</textarea>" in response.text
    assert 'value="planning"' in response.text and 'value="a, b"' in response.text
    assert '<option value="Finance" selected>' in response.text


def test_web_kickoff_escapes_the_brief_everywhere(client):
    brief = f"# Vendor racks {SCRIPT}\n\nRack vendors deliver late {SCRIPT}."
    assert SCRIPT not in submit(client, brief=brief).text
    url = save(client, brief=brief).headers["location"]
    for page in (
        client.get(url).text,
        client.get(url + "/print").text,
        client.get("/kickoff/packs").text,
    ):
        assert SCRIPT not in page
        assert "&lt;script&gt;" in page
    markdown = client.get(url + "/export.md").text
    assert "<script>" not in markdown


def test_web_kickoff_api_json(client, settings):
    before = saved_count(settings)
    response = client.post("/api/kickoff", json={"brief": BRIEF, "department": "Finance", "k": 6})
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == "" and len([m for t in data["themes"] for m in t["lessons"]]) == 6
    assert saved_count(settings) == before
    saved = client.post("/api/kickoff", json={"brief": BRIEF, "save": True, "tags": ["cutover"]})
    assert saved.status_code == 201
    url = saved.json()["links"]["url"]
    assert client.get(url + "?format=json").json()["tags"] == ["cutover"]


def test_web_kickoff_api_multipart_upload(client):
    files = {"charter": ("brief.md", BRIEF.encode(), "text/markdown")}
    response = client.post("/api/kickoff", data={"department": "Finance", "k": "5"}, files=files)
    assert response.status_code == 200
    assert response.json()["title"] == "Project Meridian: a new ERP for finance and procurement"


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"json": {"brief": ""}}, 422, "The brief is empty"),
        ({"json": {"brief": "to be or not to be"}}, 422, "no words to search with"),
        ({"json": {"brief": "racks", "k": 0}}, 422, "k:"),
        ({"json": {"department": "Finance"}}, 422, "brief:"),
        ({"content": b"not json", "headers": {"content-type": "application/json"}}, 422, "Invalid JSON"),
        ({"json": {"brief": "y" * 60_000}}, 413, "upload limit"),
        ({"files": {"charter": ("b.md", b"\x00\x00", "text/plain")}}, 415, "binary"),
        ({"files": {"charter": ("c.docx", b"nope", "text/plain")}}, 415, "not a DOCX"),
        ({"json": {"brief": BRIEF, "save": True}, "headers": {"origin": "http://evil.example"}}, 403, "Cross-site"),
        ({"content": b'{"brief": "racks"}', "headers": {"content-type": "text/plain"}}, 415, "as application/json or multipart/form-data, not text/plain"),
        ({"content": b'{"brief": "racks"}'}, 415, "multipart/form-data (it had no Content-Type)"),
    ],
)  # fmt: skip
def test_web_kickoff_api_refusals_are_4xx_json(client, settings, kwargs, status, message):
    before = saved_count(settings)
    response = client.post("/api/kickoff", **kwargs)
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert saved_count(settings) == before


def test_web_kickoff_api_is_documented(client):
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/kickoff"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert {"/kickoff", "/kickoff/packs", "/kickoff/packs/{pack_id}"} <= set(schema["paths"])


def signed_in(app, name: str) -> TestClient:
    client = TestClient(app)
    assert login(client, name).status_code == 303
    return client


def delete(client: TestClient, url: str, token: str = ""):
    return client.post(url + "/delete", data={"csrf_token": token}, follow_redirects=False)


def test_web_kickoff_author_and_editors_may_delete_a_pack_others_may_not(servers):
    first, second = servers
    rita = signed_in(first, "rita")  # a reader: the author of her own pack
    own = save(rita, brief=BRIEF).headers["location"]
    assert rita.get(own + "?format=json").json()["author"] == "rita"
    assert "Delete this pack" in rita.get(own).text
    anonymous = TestClient(second)
    assert "Delete this pack" not in anonymous.get(own).text
    assert delete(anonymous, own, "x").status_code == 403  # no session: CSRF fails
    other = save(signed_in(second, "ed"), brief=BRIEF).headers["location"]
    assert delete(rita, other, csrf(rita)).status_code == 403  # not hers, not an editor
    assert delete(rita, own).status_code == 403  # no CSRF token
    gone = delete(rita, own, csrf(rita))
    assert gone.status_code == 303 and gone.headers["location"] == "/kickoff/packs?deleted=1"
    assert rita.get(own).status_code == 404 and anonymous.get(own).status_code == 404
    editor = signed_in(second, "eve")  # deletes on the other server what ed saved
    assert delete(editor, other, csrf(editor)).status_code == 303
    assert rita.get(other).status_code == 404
    assert delete(editor, other, csrf(editor)).status_code == 404
    assert listed(anonymous) == []
