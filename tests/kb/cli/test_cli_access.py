"""`--as USER` on every command that reads documents: the shell reads everything by default,
and with --as sees exactly what that account sees. A fixture corpus with one unique marker
word per document (public, internal, restricted, restricted with an audience); users in the
state database, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kb.cli import app
from tests.conftest import markdown_doc, new_state_url

runner = CliRunner()
STORY = "The valve gasket cracked in the cold test. Valve gaskets again."
DOCS = {  # id -> (department, level, extra front matter, marker)
    "pub": ("Engineering", "public", "", "zephyrine"),
    "int": ("Legal", "internal", "", "quillwort"),
    "res": ("Finance", "restricted", "", "brambleton"),
    "aud": ("Engineering", "restricted", "audience: [Legal]\n", "marshwick"),
}
USERS = {  # --as -> (role, departments, the documents they may read)
    None: (None, (), {"pub", "int", "res", "aud"}),
    "ada": ("admin", (), {"pub", "int", "res", "aud"}),
    "fiona": ("reader", ("Finance",), {"pub", "int", "res"}),
    "lars": ("reader", ("Legal",), {"pub", "int", "aud"}),
    "erin": ("reader", ("Engineering",), {"pub", "int", "aud"}),
}
MARKER = {doc_id: marker for doc_id, (*_, marker) in DOCS.items()}


def document(doc_id: str) -> str:
    department, level, extra, marker = DOCS[doc_id]
    return markdown_doc(
        f"Valve gasket {marker}",
        department=department,
        sections={
            "What happened": STORY,
            "Recommendation": f"- Warm every valve gasket before the {marker} cold test.",
        },
        extra_front=f"id: {doc_id}\nsensitivity: {level}\n{extra}",
    )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def env(request, tmp_path_factory) -> dict[str, str]:
    """An index of the corpus and a state database with the users, made through the CLI."""
    base = tmp_path_factory.mktemp("cli-access")
    env = {
        "KB_EMBEDDER": "fake",
        "KB_GLOSSARY_MINING": "0",
        "KB_KB_DIR": str(base / "kb"),
        "KB_DATABASE_URL": new_state_url(request, base),
    }
    for doc_id in DOCS:
        (base / "docs").mkdir(exist_ok=True)
        (base / "docs" / f"{doc_id}.md").write_text(document(doc_id), encoding="utf-8")
    for args in (["db", "upgrade"], ["index", str(base / "docs")]):
        done = runner.invoke(app, args, env=env)
        assert done.exit_code == 0, done.output
    for name, (role, departments, _) in USERS.items():
        if name is not None:
            add = ["user", "add", name, "--role", role, "--password-stdin"]
            add += [arg for d in departments for arg in ("--department", d)]
            done = runner.invoke(app, add, env=env, input="a long passphrase\n")
            assert done.exit_code == 0, done.output
    return env


def invoke(env: dict, *args: str, user: str | None = None):
    return runner.invoke(app, [*args, *(["--as", user] if user else [])], env=env)


def markers_in(text: str) -> set[str]:
    return {doc_id for doc_id, marker in MARKER.items() if marker in text}


@pytest.mark.parametrize("user", USERS)
def test_cli_access_search_shows_readable_documents_and_counts_only_them(env, user):
    readable = USERS[user][2]
    found = invoke(env, "search", "valve gasket", "--json", "--facets", user=user)
    assert found.exit_code == 0, found.output
    result = json.loads(found.output)
    assert {hit["id"] for hit in result["hits"]} == readable
    assert result["total"] == len(readable)
    assert sum(v["count"] for v in result["facets"]["department"]) == len(readable)
    assert markers_in(invoke(env, "search", "valve gasket", user=user).output) == readable


@pytest.mark.parametrize("user", USERS)
def test_cli_access_show_prints_only_readable_documents(env, user):
    readable = USERS[user][2]
    missing = invoke(env, "show", "nosuch", user=user)
    for doc_id in DOCS:
        shown = invoke(env, "show", doc_id, user=user)
        assert (shown.exit_code == 0) == (doc_id in readable), (doc_id, shown.output)
        assert markers_in(shown.output) == ({doc_id} & readable)
        if doc_id not in readable:  # refused exactly as a missing id
            assert shown.output.replace(doc_id, "X") == missing.output.replace("nosuch", "X")


@pytest.mark.parametrize("user", USERS)
def test_cli_access_related_lists_only_readable_documents(env, user):
    readable = USERS[user][2]
    related = invoke(env, "related", "pub", "--same-department", "--json", user=user)
    assert related.exit_code == 0, related.output
    assert {item["id"] for item in json.loads(related.output)} == readable - {"pub"}
    assert markers_in(related.output) == readable - {"pub"}


@pytest.mark.parametrize("user", USERS)
def test_cli_access_info_counts_only_readable_documents(env, user):
    readable = USERS[user][2]
    stats = json.loads(invoke(env, "info", user=user).output)
    assert stats["counts"]["documents"] == len(readable)
    expected = {}
    for doc_id in readable:
        expected[DOCS[doc_id][0]] = expected.get(DOCS[doc_id][0], 0) + 1
    assert stats["departments"] == expected


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("output_format", ["md", "json"])
def test_cli_access_kickoff_pack_holds_only_readable_lessons(env, user, output_format, tmp_path):
    brief = tmp_path / "brief.md"
    brief.write_text(f"# Cold test\n\n{STORY}\n", encoding="utf-8")
    made = invoke(env, "kickoff", str(brief), "--format", output_format, user=user)
    assert made.exit_code == 0, made.output
    assert markers_in(made.output) == USERS[user][2]


@pytest.mark.parametrize("command", [["search", "valve"], ["show", "pub"], ["related", "pub"],
                                     ["info"], ["kickoff", "-"]])  # fmt: skip
def test_cli_access_unknown_user_is_refused_by_name(env, command):
    refused = invoke(env, *command, user="nobody-here")
    assert refused.exit_code == 2
    assert "--as" in refused.output and "'nobody-here'" in refused.output
