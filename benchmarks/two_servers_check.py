"""What bench_two_servers.py measures besides HTTP: CPU per part, and the writes in the DB."""

from __future__ import annotations

import json
import os
import re
import resource
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text

TICKS = os.sysconf("SC_CLK_TCK")
MARKER = re.compile(r"Edited under load: (\S+)\.")


def process_ticks(pid: int, children: bool = False) -> int:
    """CPU clock ticks of a process (user + system), with its reaped children's if asked;
    0 once it has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": field 3 is fields[0]
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return utime + stime + (cutime + cstime if children else 0)


def child_pids(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def postgres_ticks(server) -> int:
    """The postmaster, its backends alive now, and the ones that have ended (reaped)."""
    postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
    live = sum(process_ticks(pid) for pid in child_pids(postmaster))
    return process_ticks(postmaster, children=True) + live


def machine_ticks() -> int:
    """Busy CPU ticks of the whole machine, every process (/proc/stat: all but idle, iowait)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return user + nice + system + irq + softirq + steal


def cpu_seconds(pids: dict) -> dict[str, float]:
    """CPU seconds so far of the servers, PostgreSQL, this process (the clients), and the
    whole machine (the other sessions on the same cores are the difference)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "servers": sum(process_ticks(pid) for pid in pids["servers"]) / TICKS,
        "postgres": postgres_ticks(pids["postgres"]) / TICKS,
        "clients": own.ru_utime + own.ru_stime,
        "machine": machine_ticks() / TICKS,
    }


def present_markers(database_url: str) -> Counter:
    """How many times each write marker is in the glossary history, read from the database
    itself (not through a server): edits whose new definition carries a marker."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT changes FROM history WHERE action = 'edit'"))
            found = Counter()
            for (changes,) in rows:
                new_definition = json.loads(changes).get("definition", [None, ""])[1] or ""
                found.update(MARKER.findall(new_definition))
    finally:
        engine.dispose()
    return found
