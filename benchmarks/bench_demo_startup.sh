#!/usr/bin/env bash
# From a fresh clone: seconds from `make demo` until the search page answers.
#   bash benchmarks/bench_demo_startup.sh [PORT]
# Clones this repository's committed HEAD into a temporary folder (with ../shared beside it
# not needed), runs `make demo` there, polls the page, prints the figure and stops the server.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
port=${1:-8765}
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port is already serving something; pass a free port: $0 PORT" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'kill -- -$demo_pid 2>/dev/null || true; rm -rf "$work"' EXIT
git clone -q "$repo" "$work/lessonbase"
cd "$work/lessonbase"
start=$(date +%s.%N)
set -m
KB_PORT=$port make demo >"$work/demo.log" 2>&1 &
demo_pid=$!
set +m
until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
  if ! kill -0 $demo_pid 2>/dev/null; then
    echo "make demo exited early:"; tail -20 "$work/demo.log"; exit 1
  fi
  sleep 0.5
done
end=$(date +%s.%N)
printf 'fresh clone: make demo -> page answers in %.1f s\n' "$(echo "$end - $start" | bc)"
