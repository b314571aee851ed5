"""Re-index cost: a full build, a re-run on an unchanged corpus, and after changing one file.

    .venv/bin/python benchmarks/bench_reindex.py [--glossary/--no-glossary]

Corpus: the 242 incident post-mortems (`../shared/data/postmortems/files`, one file each),
copied to a scratch folder so one of them can be edited. Real model, default settings.
A changed file is timed first as `kb index` meets it (loading spaCy and the word list),
then again once they are loaded, beside a fresh index of that file alone: what one file
costs. With glossary mining on (the default), a third changed file is indexed without
mining, to show mining's share; mining runs also say how many documents spaCy parsed and
how many it reused from the mining cache.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, SHARED  # noqa: E402

from indexer import run_index  # noqa: E402
from kb.mapping import Mapping  # noqa: E402
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
    if settings.glossary_mining:
        change(files[2])  # another file: those above are indexed already
        unmined = dataclasses.replace(settings, glossary_mining=False)
        without = timed("one file changed, mining off", folder, unmined, mapping)
        print(f"  of which glossary mining: {warm - without:.2f} s (warm)")


def index_alone(path: Path, scratch: Path, settings: Settings, mapping: Mapping) -> float:
    """A fresh index of ``path`` alone, in this (warm) process: what one file costs."""
    folder = scratch / "alone"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    alone = dataclasses.replace(settings, kb_dir=scratch / "kb-alone")
    return timed("the same file on its own", folder, alone, mapping, rebuild=True)


if __name__ == "__main__":
    main()
