"""Fixtures shared by every test: paths to data, hand-written documents, fast settings."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.settings import Settings
from kb.state import StateDB
from tests.postgres import PostgresServer, postgres_bin

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data not found at {SHARED_DATA}; tests read real data from there")
    return SHARED_DATA


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the whole run (marked `postgres` where used)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        reason = "PostgreSQL not installed (no /usr/lib/postgresql/*/bin); `make postgres`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    server = PostgresServer(bin_dir)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def state_url(request, tmp_path: Path) -> str:
    """An empty state database: a SQLite file, or a new database on the test PostgreSQL."""
    return new_state_url(request, tmp_path)


def new_state_url(request, folder: Path) -> str:
    """An empty state database of the backend `request.param` names, dropped when the
    requesting fixture's scope ends: what state_url gives a test, for any fixture scope."""
    if request.param == "sqlite":
        return f"sqlite:///{folder}/state.sqlite"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    request.addfinalizer(lambda: server.drop_database(url))
    return url


@pytest.fixture
def state_db(state_url: str, tmp_path: Path) -> Iterator[StateDB]:
    """The state database at state_url, created at the newest schema."""
    db = StateDB(state_url, tmp_path)
    db.require_current()
    yield db
    db.dispose()


@pytest.fixture
def fake_settings(tmp_path: Path) -> Settings:
    """Settings for a throwaway index built with the fast deterministic embedder."""
    return fake_index_settings(tmp_path / "kb")


def fake_index_settings(kb_dir: Path) -> Settings:
    """The fast deterministic embedder, no mining, no progress bars. Fixture documents
    declare no sensitivity: public by default, so the tests that search as an anonymous
    visitor see them; tests of access choose their levels."""
    return Settings(
        kb_dir=kb_dir,
        embedder="fake",
        progress=False,
        glossary_mining=False,
        default_sensitivity="public",
    )


def markdown_doc(
    title: str = "Vendor lead times doubled",
    doc_type: str = "lesson",
    department: str = "Engineering",
    date: str = "2023-06-14",
    sections: dict[str, str] | None = None,
    extra_front: str = "",
) -> str:
    sections = sections or {
        "What happened": "The rack vendor delivered twelve weeks late.",
        "Lesson": "Quoted lead times are estimates, not commitments.",
    }
    body = "\n\n".join(f"## {heading}\n\n{text}" for heading, text in sections.items())
    front = textwrap.dedent(
        f"""\
        title: {title}
        type: {doc_type}
        department: {department}
        date: {date}
        """
    )
    return f"---\n{front}{extra_front}---\n\n{body}\n"


@pytest.fixture
def write_doc(tmp_path: Path):
    """Write a file under tmp_path/docs and return its path."""
    root = tmp_path / "docs"

    def write(name: str, content: str | bytes) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    write.root = root
    return write


def held_files(directory: Path, deleted_only: bool = True) -> list[str]:
    """Files under `directory` this process holds open or maps: those deleted since (by
    default), or all. Read from /proc/self (Linux)."""
    prefix = str(directory)
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            held.append(f"fd {os.readlink(fd)}")
        except OSError:
            continue  # closed meanwhile (the listing's own descriptor, for one)
    for line in Path("/proc/self/maps").read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6:
            held.append(f"map {parts[5]}")
    return sorted(
        {
            entry
            for entry in held
            if entry.split(" ", 1)[1].startswith(prefix)
            and (entry.endswith(" (deleted)") or not deleted_only)
        }
    )
