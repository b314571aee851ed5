"""A real PostgreSQL server for the tests: Debian's binaries, run as an unprivileged user in
a temporary directory on a free loopback port, with password authentication.

PostgreSQL refuses to run as root; CI runs as root, so the server runs as `nobody` there
(through runuser). `make test` installs the binaries (the Makefile's `postgres` target).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

BIN_GLOB = "/usr/lib/postgresql/*/bin"
UNPRIVILEGED = "nobody"
SUPERUSER = "lessonbase"
DATABASE = "lessonbase_tests"
START_SECONDS = 60


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None."""
    found = [Path(p) for p in glob.glob(BIN_GLOB) if (Path(p) / "initdb").exists()]
    return max(found, key=lambda p: int(p.parent.name), default=None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """initdb + pg_ctl start on construction; stop() stops it and removes its directory."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
        self.root = Path(tempfile.mkdtemp(prefix="lessonbase-pg-"))
        self.data = self.root / "data"
        self.run_as = UNPRIVILEGED if os.geteuid() == 0 else None
        started = time.perf_counter()
        self._init()
        self._start()
        self.start_seconds = time.perf_counter() - started
        bootstrap = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with bootstrap.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {DATABASE}"))
        bootstrap.dispose()
        self.admin = create_engine(self.url(DATABASE), isolation_level="AUTOCOMMIT")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=START_SECONDS)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")

    def _init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(self.password)
        if self.run_as:
            account = pwd.getpwnam(self.run_as)
            for path in (self.root, pwfile):
                os.chown(path, account.pw_uid, account.pw_gid)
        self.root.chmod(0o700)
        self._run(
            self.bin / "initdb", "-D", self.data, "-U", SUPERUSER, f"--pwfile={pwfile}",
            "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def _start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"  # throwaway data: no durability
        )
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.root / "log", "-o", options,
            "-w", "-t", START_SECONDS, "start",
        )  # fmt: skip

    def create_database(self) -> str:
        """The URL of a new empty database: a schema of its own in one shared database,
        found first through search_path (creating a whole database takes ~0.5 s, this ~10 ms)."""
        name = f"t_{secrets.token_hex(6)}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        return f"{self.url(DATABASE)}?options=-csearch_path%3D{name}"

    def drop_database(self, url: str) -> None:
        name = url.rsplit("%3D", 1)[1]
        with self.admin.connect() as conn:
            conn.execute(text("SET lock_timeout = '10s'"))
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))

    def stop(self) -> None:
        self.admin.dispose()
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
