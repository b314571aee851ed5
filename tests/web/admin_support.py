"""An index with one public, one internal and one restricted (Legal) document, served on a
given state database with the glossary tests' users (ada is the admin, rita a reader) and
lena, a reader in Legal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from fastapi.testclient import TestClient

from kb.settings import Settings
from tests.conftest import markdown_doc
from tests.kb.glossary.glossary_support import PASSWORD
from tests.web.conftest import build_index
from tests.web.glossary_support import form_token, login, make_app, on_state_database


def doc(doc_id: str, department: str, sensitivity: str) -> str:
    return markdown_doc(
        f"Gasket report {doc_id}",
        department=department,
        sections={"What happened": "The valve gasket cracked.", "Lesson": "Warm it first."},
        extra_front=f"id: {doc_id}\nsensitivity: {sensitivity}\n",
    )


CORPUS = {
    "pub.md": doc("pub", "Engineering", "public"),
    "int.md": doc("int", "Finance", "internal"),
    "res.md": doc("res", "Legal", "restricted"),
}


def build_levels_index(base) -> Settings:
    return build_index(base, CORPUS, max_k=20)


@contextmanager
def serve(index: Settings, state_url: str, **settings) -> Iterator[TestClient]:
    """A client of the app over `index` on the state database `state_url`."""
    configured = on_state_database(replace(index, **settings), state_url)
    app = make_app(configured)
    app.state.glossary.auth.create_user("lena", PASSWORD, "reader", ("Legal",))
    try:
        yield TestClient(app)
    finally:
        app.state.read_log.close()
        app.state.events.close()
        app.state.glossary.state.dispose()


def signed_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    """A second client of the same app, signed in as `name` through the login form."""
    other = TestClient(client.app)
    response = login(other, name, password, next_url="/formats")
    assert response.status_code == 303, response.text
    return other


def page_csrf(client: TestClient, path: str) -> str:
    """The CSRF token of the first form in <main> on the page at `path`."""
    html = client.get(path).text
    return form_token(html[html.index('<main id="main"') :])


def token_headers(client: TestClient, name: str) -> dict[str, str]:
    token, _ = client.app.state.glossary.tokens.create(name)
    return {"Authorization": f"Bearer {token}"}
