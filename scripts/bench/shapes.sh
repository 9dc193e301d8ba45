#!/usr/bin/env bash
# Data-shape benchmark: one generated SaaS set (SHAPES_CUSTOMERS, default 100,000 customers) and
# variants of it that stress what grows with something other than customers, each run through
# all five stages:
#   base        the generated set as it is (30 months of history, ids of 8 bytes)
#   long        240 months of history and cohort.max_offset_months 240 (a 240 x 240 triangle)
#   uuid        customer ids rewritten as 36-byte UUIDs, subscription ids as sub_ + 24 hex digits
#   reasons     every cancellation's reason a free text of its own
#   attributes  30 more customer attributes of 35 values each, all of them attribution dimensions
# Prints each stage's wall/CPU seconds, the largest peak RSS and the report sizes. Not a test:
# it shows which stage a shape moves, and that none moves by the customers' count alone.
# When bench/.venv has DuckDB (`make bench` installs it), each shape's CSV files also go through
# scripts/bench/duckdb_equivalent.sql and duckdb_minimal.sql right after our stages, and the
# last columns give ingest + normalize + cohort (wall) over each query's time: the same ratios
# `make bench` reports for the generated set, here on every shape (one run each, not medians).
# Runnable alone (`scripts/bench/shapes.sh`; Linux: GNU time and stat); SHAPES_CUSTOMERS and
# SHAPES (a list of the names above) change what it runs, SHAPES_BIN the folder of the binaries
# (to compare two builds). The uuid shape rewrites the generator's deliberately mistyped ids too,
# so its reject and orphan counts are not the base shape's.
set -euo pipefail
cd "$(dirname "$0")/../.."
customers="${SHAPES_CUSTOMERS:-100000}"
shapes="${SHAPES:-base long uuid reasons attributes}"
bin="${SHAPES_BIN:-.build/release}"
out=bench/shapes
if [ ! -x "$bin/report" ]; then
  [ -z "${SHAPES_BIN:-}" ] || { echo "shapes.sh: no binaries in $bin" >&2; exit 2; }
  swift build -c release >/dev/null
fi
mkdir -p "$out"

seconds() { # prints a command's wall and CPU (user + system) seconds, and keeps its peak RSS
  /usr/bin/time -f "%e %U %S %M" -o "$out/.time" "$@" >/dev/null 2>"$out/.stderr" || {
    # report exits 3 when a configured check fails, after writing everything.
    [ $? -eq 3 ] && [ "$(basename "$1")" = report ] || { cat "$out/.stderr" >&2; return 1; }
  }
  awk '{ printf "%.2f/%.2f", $1, $2 + $3 }' "$out/.time"
  awk '{ print $4 }' "$out/.time" >>"$out/.rss"
}

duckdb=""
if [ -x bench/.venv/bin/python ] && bench/.venv/bin/python -c 'import duckdb' 2>/dev/null; then duckdb=bench/.venv/bin/python; fi

echo "seconds as wall/cpu (user + system); peak RSS of the largest stage in MiB; sizes in bytes; $customers customers"
[ -n "$duckdb" ] && echo "core/full, core/min: ingest + normalize + cohort (wall) over DuckDB's full equivalent and minimal triangle query on the same files"
printf '%-11s %11s %11s %11s %18s %11s %8s %12s %11s %10s %9s\n' shape ingest normalize cohort churn-attribution report 'RSS MiB' report.html report.md core/full core/min
for shape in $shapes; do
  dir="$out/$shape"
  rm -rf "$dir"
  months=30
  [ "$shape" = long ] && months=240
  "$bin/generate-sample" --out "$dir" --customers "$customers" --seed 42 --months "$months" >/dev/null 2>&1
  python3 - "$dir" "$shape" <<'PY'
import csv, hashlib, json, os, random, re, sys
dir, shape = sys.argv[1], sys.argv[2]
cfg_path = os.path.join(dir, "pipeline.json")
cfg = json.load(open(cfg_path))
def path(source):
    return os.path.join(dir, os.path.basename(cfg["sources"][source]["path"]))
def rewrite_csv(p, change):
    with open(p, newline="") as f:
        rows = list(csv.reader(f))
    change(rows[0], rows[1:])
    with open(p, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
if shape == "long":
    cfg["cohort"]["max_offset_months"] = 240
elif shape == "uuid":
    def uuid(cid):
        h = hashlib.md5(cid.encode()).hexdigest()
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
    def sub(sid):
        return "sub_" + hashlib.md5(sid.encode()).hexdigest()[:24]
    id_col = cfg["sources"]["customers"].get("columns", {}).get("customer_id", "customer_id")
    def ids(col, fn):
        def change(head, body):
            for c in col:
                if c in head:
                    k = head.index(c)
                    for row in body:
                        if row[k]:
                            row[k] = fn(row[k]) if c != "subscription_id" else sub(row[k])
        return change
    rewrite_csv(path("customers"), ids([id_col], uuid))
    rewrite_csv(path("subscriptions"), ids(["customer_id", "subscription_id"], uuid))
    rewrite_csv(path("cancellations"), ids(["customer_id"], uuid))
    pattern = re.compile(r'"customer_id":"([^"\\]*)"')
    events = path("events")
    with open(events) as f:
        lines = [pattern.sub(lambda m: '"customer_id":"%s"' % uuid(m.group(1)), line) for line in f]
    with open(events, "w") as f:
        f.writelines(lines)
elif shape == "reasons":
    rng = random.Random(42)
    words = ["price", "support", "slow", "bug", "missing", "export", "team", "budget", "moved", "closed"]
    def change(head, body):
        k = head.index("reason")
        for n, row in enumerate(body):
            row[k] = "%s #%d" % (" ".join(rng.choice(words) for _ in range(4)), n)
    rewrite_csv(path("cancellations"), change)
elif shape == "attributes":
    rng = random.Random(42)
    names = ["attr_%02d" % i for i in range(30)]
    def change(head, body):
        head.extend(names)
        for row in body:
            row.extend("v%02d" % rng.randrange(35) for _ in names)
    rewrite_csv(path("customers"), change)
    cfg.setdefault("attribution", {}).setdefault("dimensions", ["acquisition_channel", "plan"])
    cfg["attribution"]["dimensions"] = cfg["attribution"]["dimensions"] + names
json.dump(cfg, open(cfg_path, "w"), indent=2)
PY
  cfg="$dir/pipeline.json"
  rm -f "$out/.rss"
  ti=$(seconds "$bin/ingest" --config "$cfg" --quiet)
  tn=$(seconds "$bin/normalize" --config "$cfg" --quiet)
  tc=$(seconds "$bin/cohort" --config "$cfg" --quiet)
  ta=$(seconds "$bin/churn-attribution" --config "$cfg" --quiet)
  tr=$(seconds "$bin/report" --config "$cfg" --quiet)
  rss=$(sort -n "$out/.rss" | tail -1)
  html=$(stat -c %s "$dir/reports/report.html")
  md=$(stat -c %s "$dir/reports/report.md")
  full=-
  minimal=-
  if [ -n "$duckdb" ]; then
    core=$(echo "$ti $tn $tc" | tr '/' ' ' | awk '{ print $1 + $3 + $5 }')
    times=$("$duckdb" - "$dir" <<'PY' | tail -n 1
import json, os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "scripts", "bench"))
import bench
data = os.path.abspath(sys.argv[1])
config = json.load(open(os.path.join(data, "pipeline.json")))
full = bench.duckdb_run(data, config)[0]
minimal = bench.duckdb_minimal_run(data, config)[0]
print("%.3f %.3f" % (full, minimal))
PY
    ) || times="- -"
    read -r dfull dmin <<<"$times"
    ratio() { awk -v a="$core" -v b="$1" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else printf "-" }'; }
    full=$(ratio "$dfull")
    minimal=$(ratio "$dmin")
  fi
  printf '%-11s %11s %11s %11s %18s %11s %8d %12s %11s %10s %9s\n' "$shape" "$ti" "$tn" "$tc" "$ta" "$tr" $((rss / 1024)) "$html" "$md" "$full" "$minimal"
done
rm -f "$out/.time" "$out/.stderr" "$out/.rss"
