#!/usr/bin/env bash
# `make bench`: installs DuckDB into bench/.venv (the bench's own environment; the pipeline never
# uses it), then runs scripts/bench/bench.py for the given number of customers.
set -euo pipefail
cd "$(dirname "$0")/.."
customers="${1:-100000}"
venv=bench/.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb' 2>/dev/null; then
  python3 -m venv "$venv" || { echo "bench: python3 -m venv failed; install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
  "$venv/bin/pip" install --quiet duckdb || { echo "bench: could not install duckdb from PyPI; the stage timings still run without it" >&2; }
fi
"$venv/bin/python" scripts/bench/bench.py "$customers"
bash scripts/bench/labels.sh
