"""Re-index cost: a full build, a re-run on an unchanged corpus, and after changing one file.

    .venv/bin/python benchmarks/bench_reindex.py [--glossary/--no-glossary]

Corpus: the 242 incident post-mortems (`../shared/data/postmortems/files`, one file each),
copied to a scratch folder so one of them can be edited. Real model, default settings.
A changed file is timed first as `kb index` meets it (loading spaCy and the word list),
then again once they are loaded, beside a fresh index of that file alone: what one file
costs. With glossary mining on (the default), a third changed file is indexed without
mining, to show mining's share; mining runs also say how many documents spaCy parsed and
how many it reused from the mining cache.

Then the same as `kb index` commands, each a new process that loads what it needs (the
model only if a chunk needs embedding, spaCy only if a document changed): what a user
waits for, beside the changed file indexed alone by a command of its own.

`--nasa` adds the NASA lessons, 1,292 records in one JSONL file (copied to the scratch
folder): a full build, an unchanged re-run, and one record edited three times (the file is
re-read, the other records' documents come back unchanged), then once with mining off.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import NASA, NASA_MAPPING, REPO, SHARED  # noqa: E402
from figures import emit, met  # noqa: E402

from indexer import run_index  # noqa: E402
from kb.documents.mapping import Mapping  # noqa: E402
from kb.settings import Settings  # noqa: E402

MAPPING = REPO / "examples" / "mappings" / "postmortems.yaml"


def timed(label: str, folder: Path, settings: Settings, mapping: Mapping, rebuild=False) -> float:
    run = run_index([folder], settings, mapping, rebuild=rebuild)
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in run.phase_seconds.items())
    mining = ""
    if run.glossary_candidates is not None:
        mining = (f"; glossary: {run.glossary_texts_parsed} documents parsed, "
                  f"{run.glossary_documents_reused} reused, "
                  f"{run.glossary_rows_kept} candidate rows kept")  # fmt: skip
    print(f"  {label:<30} {run.seconds:7.2f} s  ({run.files_indexed} files indexed, "
          f"{run.chunks_embedded} chunks embedded; {phases}{mining})", flush=True)  # fmt: skip
    return run.seconds


def change(path: Path) -> None:
    path.write_text(path.read_text() + "\nA sentence added to change this one file.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glossary", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--commands", action=argparse.BooleanOptionalAction, default=True,
                        help="also time `kb index` commands, a new process each")  # fmt: skip
    parser.add_argument("--nasa", action="store_true", help="also one edited NASA record")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-reindex-") as scratch:
        folder = Path(scratch) / "postmortems"
        shutil.copytree(SHARED / "postmortems" / "files", folder)
        settings = Settings(
            kb_dir=Path(scratch) / "kb", progress=False, glossary_mining=args.glossary
        )
        print(
            f"post-mortems ({len(list(folder.glob('*.md')))} files), glossary mining {args.glossary}"
        )
        measure(folder, settings, Mapping.load(MAPPING))
        if args.commands:
            measure_commands(folder, Path(scratch), args.glossary)
        if args.nasa:
            measure_nasa(Path(scratch), settings)


def measure(folder: Path, settings: Settings, mapping: Mapping) -> None:
    full = timed("full build", folder, settings, mapping, rebuild=True)
    unchanged = timed("unchanged re-run", folder, settings, mapping)
    files = sorted(folder.glob("*.md"))
    mining = "on" if settings.glossary_mining else "off"
    change(files[0])  # the first changed run loads spaCy and the word list, as `kb index` does
    first = timed(f"one file changed, mining {mining}", folder, settings, mapping)
    change(files[1])
    warm = timed("another file changed (warm)", folder, settings, mapping)
    alone = index_alone(files[1], folder.parent, settings, mapping)
    print(f"  unchanged re-run is {full / unchanged:.0f}x faster than a full build")
    print(f"  one changed file costs {first:.2f} s ({full / first:.0f}x less than a full build), "
          f"{warm:.2f} s once the pipelines are loaded")  # fmt: skip
    print(f"  that file indexed on its own: {alone:.2f} s; a full build's time per file: "
          f"{full / len(files):.2f} s")  # fmt: skip
    without = None
    if settings.glossary_mining:
        change(files[2])  # another file: those above are indexed already
        unmined = dataclasses.replace(settings, glossary_mining=False)
        without = timed("one file changed, mining off", folder, unmined, mapping)
        print(f"  of which glossary mining: {warm - without:.2f} s (warm)")
    times = {"full_s": full, "unchanged_s": unchanged, "changed_first_s": first,
             "changed_warm_s": warm, "changed_without_mining_s": without, "alone_s": alone}  # fmt: skip
    emit_in_process(times, len(files), settings.glossary_mining)


def emit_in_process(times: dict, files: int, mining: bool) -> None:
    full, unchanged, without = (
        times["full_s"],
        times["unchanged_s"],
        times["changed_without_mining_s"],
    )
    emit(
        f"re-index, {files} post-mortems, in one process"
        + ("" if mining else ", glossary mining off"),
        f"full {full:.1f} s, unchanged {unchanged:.2f} s ({full / unchanged:.0f}×); one changed "
        f"file {times['changed_warm_s']:.2f} s warm "
        f"({times['changed_first_s']:.2f} s the first time)"
        + (f", {without:.2f} s with mining off" if without is not None else "")
        + f"; that file indexed alone {times['alone_s']:.2f} s",
        target=f"≥ 50×: {met(full / unchanged >= 50)}",
        values=times,
    )


def index_alone(path: Path, scratch: Path, settings: Settings, mapping: Mapping) -> float:
    """A fresh index of ``path`` alone, in this (warm) process: what one file costs."""
    folder = scratch / "alone"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    alone = dataclasses.replace(settings, kb_dir=scratch / "kb-alone")
    return timed("the same file on its own", folder, alone, mapping, rebuild=True)


def command(label: str, folder: Path, kb_dir: Path, mining: bool) -> float:
    """`kb index folder` in a new process: its wall time, start-up and model loading included."""
    kb = Path(sys.executable).with_name("kb")
    env = dict(os.environ, KB_PROGRESS="false", KB_GLOSSARY_MINING=str(mining).lower())
    started = time.perf_counter()
    done = subprocess.run(
        [str(kb), "index", str(folder), "--mapping", str(MAPPING), "--kb", str(kb_dir)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    phases = next((line for line in done.stdout.splitlines() if line.startswith("Time:")), "")
    print(f"  {label:<30} {seconds:7.2f} s  ({phases.removeprefix('Time: ').rstrip('.')})")
    return seconds


def measure_commands(folder: Path, scratch: Path, mining: bool) -> None:
    print(f"as `kb index` commands, a new process each, glossary mining {mining}")
    kb_dir = scratch / "kb-commands"
    full = command("full build", folder, kb_dir, mining)
    unchanged = command("unchanged re-run", folder, kb_dir, mining)
    path = sorted(folder.glob("*.md"))[3]  # a file the in-process runs above left alone
    change(path)
    changed = command("one file changed", folder, kb_dir, mining)
    alone_folder = scratch / "alone-command"
    alone_folder.mkdir()
    shutil.copy(path, alone_folder / path.name)
    alone = command("that file on its own", alone_folder, scratch / "kb-alone-command", mining)
    print(f"  unchanged re-run is {full / unchanged:.0f}x faster than a full build")
    print(f"  one changed file costs {changed:.2f} s, {changed / alone:.2f}x the {alone:.2f} s "
          "of indexing that file alone")  # fmt: skip
    emit(
        "the same as `kb index` commands (a new process each)"
        + ("" if mining else ", glossary mining off"),
        f"full {full:.1f} s, unchanged {unchanged:.2f} s ({full / unchanged:.0f}×); one changed "
        f"file {changed:.2f} s, that file indexed alone {alone:.2f} s ({changed / alone:.2f}×)",
        target=f"≥ 50×: {met(full / unchanged >= 50)}",
        values={"full_s": full, "unchanged_s": unchanged, "changed_s": changed, "alone_s": alone},
    )


def edit_record(path: Path, line: int) -> None:
    lines = path.read_text().splitlines()
    record = json.loads(lines[line])
    record["lesson_text"] += " A sentence added to change this one record."
    lines[line] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n")


def measure_nasa(scratch: Path, settings: Settings) -> None:
    data = scratch / "nasa" / "lessons.jsonl"
    data.parent.mkdir()
    shutil.copy(NASA, data)
    settings = dataclasses.replace(settings, kb_dir=scratch / "kb-nasa")
    mapping = Mapping.load(NASA_MAPPING)
    print(f"NASA lessons (one JSONL file), glossary mining {settings.glossary_mining}")
    full = timed("full build", data, settings, mapping, rebuild=True)
    unchanged = timed("unchanged re-run", data, settings, mapping)
    edits = []
    for n, label in enumerate(["one record edited", "another (warm)", "a third (warm)"]):
        edit_record(data, 10 + n)
        edits.append(timed(label, data, settings, mapping))
    without = None
    if settings.glossary_mining:
        edit_record(data, 20)
        unmined = dataclasses.replace(settings, glossary_mining=False)
        without = timed("one record edited, mining off", data, unmined, mapping)
    print(f"  unchanged re-run is {full / unchanged:.0f}x faster than a full build")
    emit(
        "one edited record of the NASA lessons (1,292 in one JSONL file)"
        + ("" if settings.glossary_mining else ", glossary mining off"),
        f"full {full:.1f} s, unchanged {unchanged:.2f} s; one record edited {edits[0]:.1f} s, "
        f"then {edits[1]:.1f} and {edits[2]:.1f} s warm"
        + (f"; {without:.2f} s with mining off" if without is not None else ""),
        values={"full_s": full, "unchanged_s": unchanged, "edited_s": edits,
                "edited_without_mining_s": without},
    )  # fmt: skip


if __name__ == "__main__":
    main()
