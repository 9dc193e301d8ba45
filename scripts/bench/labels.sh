#!/usr/bin/env bash
# Many-labels benchmark: 3,000 generated customers whose acquisition channel (and plan and sales
# rep) is rewritten to one of 12, 3,000 or 10,000 values (beyond 3,000, customers without a
# subscription carry the other labels); times cohort, churn-attribution and report on each and
# prints the report sizes. Runnable alone (`scripts/bench/labels.sh`) or from scripts/bench.sh;
# LABELS_CUSTOMERS and LABELS_COUNTS change the sizes. Not a test: it shows that the time of
# every stage grows linearly with the number of labels.
set -euo pipefail
cd "$(dirname "$0")/../.."
customers="${LABELS_CUSTOMERS:-3000}"
counts="${LABELS_COUNTS:-12 3000 10000}"
bin=.build/release
out=bench/labels
[ -x "$bin/report" ] || swift build -c release >/dev/null

seconds() { # prints the wall time of a command and its CPU time (user + system), in seconds
  /usr/bin/time -f "%e %U %S" -o "$out/.time" "$@" >/dev/null 2>"$out/.stderr" || { cat "$out/.stderr" >&2; return 1; }
  awk '{ printf "%.2f/%.2f", $1, $2 + $3 }' "$out/.time"
}

mkdir -p "$out"
echo "seconds as wall/cpu (user + system); sizes in bytes; $customers customers"
printf '%-9s %11s %11s %18s %11s %12s %12s\n' labels ingest cohort churn-attribution report report.html report.md
for n in $counts; do
  dir="$out/$n"
  rm -rf "$dir"
  "$bin/generate-sample" --out "$dir" --customers "$customers" --seed 42 >/dev/null 2>&1
  # Each customer gets one of n channels, plans and sales reps (round robin over a shuffled order,
  # so every label is used when n <= customers).
  python3 - "$dir/customers.csv" "$dir/subscriptions.csv" "$n" <<'PY'
import csv, random, sys
path, subs, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(42)
with open(path, newline="") as f:
    rows = list(csv.reader(f))
head, body = rows[0], rows[1:]
order = list(range(len(body)))
rng.shuffle(order)
label = {}
for rank, i in enumerate(order):
    label[i] = rank % n
for i, row in enumerate(body):
    for col, prefix in (("acquisition_channel", "channel"), ("sales_rep", "rep")):
        if col in head:
            row[head.index(col)] = "%s_%05d" % (prefix, label[i])
# More labels than customers: leads without a subscription carry the remaining labels, so the
# customers file names exactly n channels (and sales reps) while 3,000 customers pay.
for extra in range(len(body), n):
    lead = [""] * len(head)
    lead[0] = "L%07d" % extra
    for col, prefix in (("acquisition_channel", "channel"), ("sales_rep", "rep")):
        if col in head:
            lead[head.index(col)] = "%s_%05d" % (prefix, extra)
    body.append(lead)
with open(path, "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows([head] + body)
byid = {row[0]: label[i] for i, row in enumerate(body) if i in label}
with open(subs, newline="") as f:
    srows = list(csv.reader(f))
sh = srows[0]
if "plan" in sh:
    p, c = sh.index("plan"), sh.index("customer_id")
    for row in srows[1:]:
        row[p] = "plan_%05d" % byid.get(row[c], 0)
with open(subs, "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(srows)
PY
  cfg="$dir/pipeline.json"
  python3 - "$cfg" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c.setdefault("attribution", {})["dimensions"] = ["acquisition_channel", "plan", "sales_rep"]
# Every value its own segment: churn-attribution meets thousands of values, not one (other).
c["attribution"]["min_segment_customers"] = 1
json.dump(c, open(p, "w"), indent=2)
PY
  ti=$(seconds "$bin/ingest" --config "$cfg" --quiet)
  "$bin/normalize" --config "$cfg" --quiet
  tc=$(seconds "$bin/cohort" --config "$cfg" --quiet)
  ta=$(seconds "$bin/churn-attribution" --config "$cfg" --quiet)
  tr=$(seconds "$bin/report" --config "$cfg" --quiet)
  html=$(stat -c %s "$dir/reports/report.html")
  md=$(stat -c %s "$dir/reports/report.md")
  printf '%-9s %11s %11s %18s %11s %12s %12s\n' "$n" "$ti" "$tc" "$ta" "$tr" "$html" "$md"
done
rm -f "$out/.time" "$out/.stderr"
