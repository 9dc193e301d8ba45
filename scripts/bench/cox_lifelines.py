#!/usr/bin/env python3
"""churn-attribution's Cox model against lifelines' CoxPHFitter on the same design.

Usage (normally through scripts/bench.sh, from bench/.venv, which has lifelines and pandas):
    python scripts/bench/cox_lifelines.py PIPELINE_JSON

1. Runs `.build/release/churn-attribution --config PIPELINE_JSON` (its upstream stages must have
   run) and reads from its stderr summary how long the Cox fit took (design by covariate pattern
   plus the fit) and the stage's own wall time.
2. Rebuilds the stage's Cox design from the work folder, as AttributionStage does: converted
   customers from normalize's customers.jsonl (duration_days, churned), each attribution
   dimension's value per customer (channel, attribute or first plan; plus `activation` from
   ingest's events when configured), values with fewer than min_segment_customers customers pooled
   into "(other)", one-hot columns named `dimension=level` without the level that has the most
   customers (ties by name); the columns the stage dropped (cox_model.json) are left out.
3. Fits lifelines' CoxPHFitter (Efron ties, no penalty) on it, timed, with lifelines' default
   stopping rule; then again to precision 1e-12 (as scripts/golden/cox_golden.py does, since the
   default rule stops short of the maximum by more than 1e-6) and checks that every coefficient
   agrees with cox.jsonl to 1e-6.
4. Prints both times and the ratio (against the faster of lifelines' two runs), and writes them
   as JSON on the last line.
"""
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, ".build", "release")


def read_jsonl(path):
    with open(path) as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def ours(config_path, cwd):
    """Runs churn-attribution; returns (Cox seconds, stage wall seconds, covariate patterns)."""
    t0 = time.time()
    p = subprocess.run([os.path.join(BIN, "churn-attribution"), "--config", config_path], cwd=cwd,
                       capture_output=True, text=True)
    wall = time.time() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"cox_lifelines: churn-attribution exited {p.returncode}")
    m = re.search(r"Cox fit on (\d+) covariate patterns in ([0-9.]+) s", p.stderr)
    if not m:
        raise SystemExit("cox_lifelines: churn-attribution's summary line has no Cox fit time:\n" + p.stderr)
    return float(m.group(2)), wall, int(m.group(1))


def design(config, work):
    """The stage's Cox design: (durations, events, {column name: 0/1 list}, [(dimension, level)])."""
    att = config.get("attribution", {})
    dims = list(att.get("dimensions", []))
    minimum = att.get("min_segment_customers", 30)
    ingest_attrs = {}
    ingest_customers = os.path.join(work, "ingest", "customers.jsonl")
    rows = []
    for r in read_jsonl(os.path.join(work, "normalize", "customers.jsonl")):
        if r.get("first_start") is None:
            continue
        rows.append(r)
    if any("attributes" not in r for r in rows) and os.path.exists(ingest_customers):
        for r in read_jsonl(ingest_customers):
            ingest_attrs[r["customer_id"]] = r.get("attributes") or {}
    attrs = [r["attributes"] if "attributes" in r else ingest_attrs.get(r["customer_id"], {}) for r in rows]
    available = set()
    for a in attrs:
        available.update((a or {}).keys())

    values = {}
    for name in dims:
        if name in ("acquisition_channel", "channel"):
            values["acquisition_channel"] = [r.get("channel") or "(unknown)" for r in rows]
        elif name in available:
            values[name] = [((a or {}).get(name) or "(unknown)") for a in attrs]
        elif name == "plan":
            values[name] = [r.get("first_plan") or "(unknown)" for r in rows]
        else:
            raise SystemExit(f"cox_lifelines: dimension {name} is not in the data")
    activation = att.get("activation") or {}
    event = activation.get("event")
    if event:
        days = activation.get("days", 30)
        start = {r["customer_id"]: r["first_start"] for r in rows}
        import datetime

        def day(text):
            return datetime.date.fromisoformat(text[:10]).toordinal()

        first = {k: day(v) for k, v in start.items()}
        activated = set()
        any_event = False
        events_path = os.path.join(work, "ingest", "events.jsonl")
        if os.path.exists(events_path):
            for e in read_jsonl(events_path):
                if e.get("event") != event or e.get("customer_id") not in first or not e.get("date"):
                    continue
                any_event = True
                d = day(e["date"])
                s = first[e["customer_id"]]
                if s <= d < s + days:
                    activated.add(e["customer_id"])
        if any_event:
            values["activation"] = ["activated" if r["customer_id"] in activated else "not_activated" for r in rows]

    columns, terms = {}, []
    for name, vals in values.items():
        counts = Counter(vals)
        small = {v for v, c in counts.items() if c < minimum}
        if small:
            vals = ["(other)" if v in small else v for v in vals]
            counts = Counter(vals)
        levels = sorted((v for v in counts if v != "(other)"), key=lambda v: v.encode())
        if "(other)" in counts:
            levels.append("(other)")
        if len(levels) < 2:
            continue
        reference = sorted(levels, key=lambda v: (-counts[v], v.encode()))[0]
        for level in levels:
            if level == reference:
                continue
            columns[f"{name}={level}"] = [1.0 if v == level else 0.0 for v in vals]
            terms.append((name, level))
    durations = [r["duration_days"] for r in rows]
    events = [1 if r.get("churned") else 0 for r in rows]
    # The stage caps a dimension at max_compared_values levels and the model at one term per ten
    # churned customers (at least 20; docs/metrics.md#cox-model); this rebuild does not.
    per_dimension = Counter(d for d, _ in terms)
    if len(terms) > max(20, sum(events) // 10) or any(
        n + 1 > att.get("max_compared_values", 20) for n in per_dimension.values()
    ):
        raise SystemExit(
            "cox_lifelines: the stage capped the Cox levels (attribution.max_compared_values, or one term "
            "per ten churned customers); this comparison rebuilds the uncapped design: run it on more "
            "customers or fewer levels"
        )
    return durations, events, columns, terms


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    config_path = os.path.abspath(sys.argv[1])
    here = os.path.dirname(config_path)
    with open(config_path) as f:
        config = json.load(f)
    work = os.path.join(here, config.get("work_dir", "data/work"))

    our_s, stage_s, patterns = ours(config_path, here)
    import pandas as pd
    from lifelines import CoxPHFitter

    durations, events, columns, terms = design(config, work)
    with open(os.path.join(work, "churn-attribution", "cox_model.json")) as f:
        model = json.load(f)
    dropped = set(model.get("dropped_terms") or [])
    fitted = {(r["dimension"], r["level"]): r["coef"] for r in read_jsonl(os.path.join(work, "churn-attribution", "cox.jsonl"))}
    names = [f"{d}={l}" for d, l in terms if f"{d}={l}" not in dropped]
    if set(names) != {f"{d}={l}" for d, l in fitted}:
        raise SystemExit(f"cox_lifelines: rebuilt columns {sorted(names)} differ from cox.jsonl's {sorted(f'{d}={l}' for d, l in fitted)}")
    df = pd.DataFrame({n: columns[n] for n in names})
    df["duration"] = durations
    df["event"] = events

    # A first small fit pays lifelines' one-time costs (lazy imports), which are not fitting.
    try:
        CoxPHFitter().fit(df.head(5000), duration_col="duration", event_col="event")
    except Exception:
        pass
    t0 = time.time()
    CoxPHFitter().fit(df, duration_col="duration", event_col="event")
    theirs_s = time.time() - t0
    t0 = time.time()
    tight = CoxPHFitter().fit(df, duration_col="duration", event_col="event",
                              fit_options={"precision": 1e-12, "r_precision": 1e-13})
    tight_s = time.time() - t0
    worst = 0.0
    for d, l in terms:
        name = f"{d}={l}"
        if name in dropped:
            continue
        worst = max(worst, abs(float(tight.params_[name]) - fitted[(d, l)]))
    ok = worst <= 1e-6

    n, p = len(df), len(names)
    print(f"Cox on {n:,} customers x {p} covariates ({patterns:,} covariate patterns)")
    print(f"  ours (churn-attribution, design by pattern + fit): {our_s:.3f} s; whole stage {stage_s:.2f} s")
    print(f"  lifelines CoxPHFitter (Efron, no penalty), default stopping rule: {theirs_s:.2f} s;"
          f" to precision 1e-12: {tight_s:.2f} s")
    best = min(theirs_s, tight_s)
    print(f"  ratio lifelines/ours: {best / max(our_s, 1e-9):.1f}x (lifelines' faster run;"
          f" {theirs_s / max(our_s, 1e-9):.1f}x default rule, {tight_s / max(our_s, 1e-9):.1f}x to 1e-12)")
    print(f"  coefficients agree to {worst:.1e} ({'ok' if ok else 'MISMATCH'}: tolerance 1e-6)")
    print(json.dumps({"customers": n, "covariates": p, "patterns": patterns, "ours_cox_s": our_s,
                      "ours_stage_s": stage_s, "lifelines_s": theirs_s, "lifelines_tight_s": tight_s,
                      "ratio": best / max(our_s, 1e-9), "max_coef_difference": worst}))
    if not ok:
        raise SystemExit("cox_lifelines: coefficients differ from lifelines by more than 1e-6")


if __name__ == "__main__":
    main()
