#!/usr/bin/env bash
# `make bench`: installs DuckDB into bench/.venv (the bench's own environment; the pipeline never
# uses it), then runs scripts/bench/bench.py for the given number of customers, then
# scripts/bench/cox_lifelines.py on the same data (its figures also go to bench/cox-SHAPE-N.json),
# then the many-labels benchmark. BENCH_SHAPE=retail benchmarks the retail shape.
set -euo pipefail
cd "$(dirname "$0")/.."
customers="${1:-100000}"
venv=bench/.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb' 2>/dev/null; then
  python3 -m venv "$venv" || { echo "bench: python3 -m venv failed; install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
  "$venv/bin/pip" install --quiet duckdb || { echo "bench: could not install duckdb from PyPI; the stage timings still run without it" >&2; }
fi
"$venv/bin/python" scripts/bench/bench.py "$customers"

# Cox: churn-attribution's fit against lifelines' CoxPHFitter on the same design (lifelines and
# pandas live in bench/.venv only). BENCH_SHAPE=retail (read by bench.py too) picks the retail data.
shape="${BENCH_SHAPE:-saas}"
if [ "$shape" = saas ]; then data="bench/work/c$customers"; else data="bench/work/$shape$customers"; fi
if ! "$venv/bin/python" -c 'import lifelines, pandas' 2>/dev/null; then
  "$venv/bin/pip" install --quiet lifelines pandas || { echo "bench: could not install lifelines from PyPI; skipping the Cox comparison" >&2; exit 0; }
fi
echo
"$venv/bin/python" scripts/bench/cox_lifelines.py "$data/pipeline.json" | tee "bench/cox-$shape-$customers.txt"
tail -n 1 "bench/cox-$shape-$customers.txt" > "bench/cox-$shape-$customers.json"
rm -f "bench/cox-$shape-$customers.txt"

# BENCH_LABELS=0 skips the many-labels benchmark (`make bench-scale` runs it once).
if [ "${BENCH_LABELS:-1}" != 0 ]; then bash scripts/bench/labels.sh; fi
