#!/usr/bin/env python3
"""Compares the bench runs of both data shapes at 100k and 1M customers (`make bench-scale`).

Reads bench/results-SHAPE-N.json (written by scripts/bench/bench.py) and bench/cox-SHAPE-N.json
(the last line of scripts/bench/cox_lifelines.py) for SHAPE in saas, retail and N in 100000,
1000000, and prints, from those runs:

- each stage's wall time (median over the bench's rounds) and peak RSS at both sizes, and the 1M/100k ratio (10 would be linear;
  the bar is 11);
- all five stages at 1M, one after another and through `make -j2`;
- ours (ingest + normalize + cohort) over DuckDB's full equivalent and over its minimal triangle
  query, per shape and size: the median of the rounds' ratios and their range;
- lifelines' CoxPHFitter over our Cox fit on the same design, and churn-attribution's wall time;
- the JSON Lines traffic between the stages, and the CPU seconds (user and kernel) of the core
  and of DuckDB's minimal query.

Writes the table as Markdown to bench/scale.md (what the README's performance section quotes).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
STAGES = ["ingest", "normalize", "cohort", "churn-attribution", "report"]
SHAPES = ["saas", "retail"]
SIZES = [100_000, 1_000_000]


def load(name):
    path = os.path.join(BENCH, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if text else None


def main():
    results = {(s, n): load(f"results-{s}-{n}.json") for s in SHAPES for n in SIZES}
    cox = {(s, n): load(f"cox-{s}-{n}.json") for s in SHAPES for n in SIZES}
    missing = [f"{s} {n:,}" for (s, n), r in results.items() if r is None]
    if missing:
        sys.exit(f"scale: no bench results for {', '.join(missing)}; run `make bench-scale`")
    out = []
    machine = results[("saas", SIZES[-1])]["machine"]
    out.append(f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory_gib']} GiB, "
               f"{machine['os']}, {machine['swift']}.")
    rounds = sorted({r.get("rounds", 1) for r in results.values()})
    out.append(f"Times are medians over {' or '.join(map(str, rounds))} rounds per data set (ours and DuckDB alternating); "
               "a ratio is the median of the rounds' ratios, with the range over the rounds in brackets.")
    out.append("")
    out.append("| stage | shape | 100k s | 1M s | 1M / 100k | 1M peak RSS MiB |")
    out.append("|---|---|---:|---:|---:|---:|")
    worst = 0.0
    for stage in STAGES:
        for s in SHAPES:
            small = results[(s, SIZES[0])]["stages"][stage]
            big = results[(s, SIZES[1])]["stages"][stage]
            ratio = big["wall_s"] / max(small["wall_s"], 1e-9)
            worst = max(worst, ratio)
            out.append(f"| {stage} | {s} | {small['wall_s']:.2f} | {big['wall_s']:.2f} | {ratio:.1f} | {big['peak_rss_mib']:.0f} |")
    out.append("")
    out.append("| 1M customers | SaaS | retail |")
    out.append("|---|---:|---:|")
    big = {s: results[(s, SIZES[1])] for s in SHAPES}
    out.append("| all five stages, one after another (s) | " + " | ".join(f"{big[s]['total_wall_s']:.1f}" for s in SHAPES) + " |")
    out.append("| all five stages, `make -j2` (s) | " + " | ".join(f"{big[s]['make_j2_wall_s']:.1f}" for s in SHAPES) + " |")
    out.append("| peak RSS of any stage (MiB) | " + " | ".join(
        f"{max(v['peak_rss_mib'] for v in big[s]['stages'].values()):.0f}" for s in SHAPES) + " |")
    out.append("")
    out.append("| ratio, same run | SaaS 100k | SaaS 1M | retail 100k | retail 1M |")
    out.append("|---|---:|---:|---:|---:|")
    keys = [(s, n) for s in SHAPES for n in SIZES]

    def cell(v, fmt="{:.2f}"):
        return fmt.format(v) if v is not None else "n/a"

    def ratio(entry):
        """A DuckDB ratio: the median, and the range over the rounds when there were several."""
        if not entry or entry.get("ratio_ours_over_duckdb") is None:
            return "n/a"
        runs = entry.get("ratio_rounds") or []
        span = f" ({min(runs):.2f}-{max(runs):.2f})" if len(runs) > 1 else ""
        return f"{entry['ratio_ours_over_duckdb']:.2f}{span}"

    out.append("| ours (ingest + normalize + cohort) / DuckDB full equivalent | " + " | ".join(
        ratio(results[k].get("duckdb")) for k in keys) + " |")
    out.append("| ours (ingest + normalize + cohort) / DuckDB minimal triangle | " + " | ".join(
        ratio(results[k].get("duckdb_minimal")) for k in keys) + " |")
    out.append("| lifelines CoxPHFitter / our Cox fit | " + " | ".join(
        cell(cox[k]["ratio"] if cox[k] else None, "{:.1f}x") for k in keys) + " |")
    out.append("| churn-attribution, whole stage (s) | " + " | ".join(
        cell(results[k]["stages"]["churn-attribution"]["wall_s"]) for k in keys) + " |")
    out.append("")
    out.append(f"Largest 1M/100k ratio of any stage: {worst:.1f} (bar: 11).")
    out.append("")
    # What the stage contract alone costs: ingest and normalize write their outputs as JSON Lines,
    # normalize and cohort read them back. At the JSON Lines speed `cohort-bench io` measured in
    # the same run (serialize and write, read and parse, one core), spread perfectly over every
    # core, that traffic alone takes the time below; DuckDB's minimal query reads the CSV files once.
    out.append("| JSON Lines between ingest, normalize and cohort | " + " | ".join(f"{s} {n // 1000:,}k" for s, n in keys) + " |")
    out.append("|---|" + "---:|" * len(keys))
    written, read, floor = [], [], []
    for k in keys:
        st = results[k]["stages"]
        io = results[k].get("jsonl_io") or {}
        if "output_bytes" not in st["ingest"] or not io.get("write_mb_per_s"):
            written.append(None), read.append(None), floor.append(None)
            continue
        w = (st["ingest"]["output_bytes"] + st["normalize"]["output_bytes"]) / 1e6
        r = (st["normalize"]["input_bytes"] + st["cohort"]["input_bytes"]) / 1e6
        cores = results[k]["machine"]["cores"]
        written.append(w / 1000), read.append(r / 1000)
        floor.append((w / io["write_mb_per_s"] + r / io["read_mb_per_s"]) / cores)
    out.append("| written, then read back (GB) | " + " | ".join(
        f"{cell(w)} / {cell(r)}" if w is not None else "n/a" for w, r in zip(written, read)) + " |")
    out.append("| that traffic alone at the measured JSON Lines speed, all cores (s) | " + " | ".join(
        cell(f) for f in floor) + " |")
    out.append("| DuckDB minimal triangle, straight from the CSV files (s) | " + " | ".join(
        cell(results[k].get("duckdb_minimal", {}).get("wall_s")) for k in keys) + " |")
    # CPU seconds (user + kernel, every thread; medians over the rounds): how much work each side
    # does, whatever the cores did at the time, and how much of ours the kernel spends (mostly
    # taking in the JSON Lines written between the stages).
    def cpu(k, key):
        c = results[k].get("cpu")
        return None if not c else c[f"{key}_user_s"] + c[f"{key}_kernel_s"]

    out.append("| ours, CPU s (user + kernel) | " + " | ".join(
        f"{results[k]['cpu']['ours_user_s']:.1f} + {results[k]['cpu']['ours_kernel_s']:.1f}" if results[k].get("cpu")
        else "n/a" for k in keys) + " |")
    out.append("| DuckDB minimal triangle, CPU s (user + kernel) | " + " | ".join(
        f"{results[k]['cpu']['duckdb_minimal_user_s']:.1f} + {results[k]['cpu']['duckdb_minimal_kernel_s']:.1f}"
        if results[k].get("cpu") else "n/a" for k in keys) + " |")
    out.append("| ours / DuckDB minimal, CPU s | " + " | ".join(
        cell(cpu(k, "ours") / cpu(k, "duckdb_minimal")) if cpu(k, "ours") and cpu(k, "duckdb_minimal") else "n/a"
        for k in keys) + " |")
    out.append("| ours user-space CPU s alone / DuckDB minimal CPU s | " + " | ".join(
        cell(results[k]["cpu"]["ours_user_s"] / cpu(k, "duckdb_minimal")) if cpu(k, "ours") and cpu(k, "duckdb_minimal")
        else "n/a" for k in keys) + " |")
    text = "\n".join(out) + "\n"
    print(text)
    with open(os.path.join(BENCH, "scale.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
