"""Re-index cost: a full build, a re-run on an unchanged corpus, and after changing one file.

    .venv/bin/python benchmarks/bench_reindex.py [--glossary/--no-glossary]

Corpus: the 242 incident post-mortems (`../shared/data/postmortems/files`, one file each),
copied to a scratch folder so one of them can be edited. Real model, default settings.
"""

from __future__ import annotations

import argparse
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
    print(f"  {label:<18} {run.seconds:7.2f} s  ({run.files_indexed} files indexed, "
          f"{run.chunks_embedded} chunks embedded; {phases})", flush=True)  # fmt: skip
    return run.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glossary", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    mapping = Mapping.load(MAPPING)
    with tempfile.TemporaryDirectory(prefix="kb-reindex-") as scratch:
        folder = Path(scratch) / "postmortems"
        shutil.copytree(SHARED / "postmortems" / "files", folder)
        settings = Settings(
            kb_dir=Path(scratch) / "kb", progress=False, glossary_mining=args.glossary
        )
        print(
            f"post-mortems ({len(list(folder.glob('*.md')))} files), glossary mining {args.glossary}"
        )
        full = timed("full build", folder, settings, mapping, rebuild=True)
        unchanged = timed("unchanged re-run", folder, settings, mapping)
        one = sorted(folder.glob("*.md"))[0]
        one.write_text(one.read_text() + "\nA sentence added to change this one file.\n")
        changed = timed("one file changed", folder, settings, mapping)
        print(f"  unchanged re-run is {full / unchanged:.0f}x faster than a full build")
        print(
            f"  one changed file costs {changed:.2f} s ({full / changed:.0f}x less than a full build)"
        )


if __name__ == "__main__":
    main()
