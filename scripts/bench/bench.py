#!/usr/bin/env python3
"""Benchmark every pipeline stage on generated data, side by side with DuckDB.

Usage (normally through `make bench`): python3 scripts/bench/bench.py CUSTOMERS

1. Generates CUSTOMERS customers with `generate-sample --seed 42` into bench/work/cN, reused when
   already there and made by a generator that still writes the same data (`generator_fingerprint`):
   a folder generated before the generator changed is generated again, not measured.
2. Runs the JSONL I/O microbenchmark (`cohort-bench io`, 5 million records).
3. In BENCH_REPEAT rounds (default 3), each from an empty work folder: runs ingest, normalize,
   cohort, churn-attribution and report one after another, each under /usr/bin/time, then
   scripts/bench/duckdb_equivalent.sql (the triangle, month-end MRR snapshots and monthly windows
   an analyst would write) and scripts/bench/duckdb_minimal.sql (the first triangle query an
   analyst writes: no grace days, no validation) on the same CSV files. Ours and DuckDB alternate,
   so a slow spell of the machine hits both. Every round must write byte-identical outputs.
4. Prints per stage the median wall time, MB/s of input, rows/s and the largest peak RSS; runs the
   stages once more through `make -j2` and checks its outputs match; checks DuckDB's full
   equivalent agrees with our cohort/triangle.jsonl and cohort/windows.jsonl and counts the
   minimal query's rows that equal ours; prints ours (ingest+normalize+cohort) over each query as
   the median of the rounds' ratios, with every round's ratio.
5. Writes everything, with the machine, to bench/results.json and bench/results-SHAPE-N.json
   (scripts/bench/scale.py compares the sizes and shapes).

DuckDB is only ever imported here (installed into bench/.venv by scripts/bench.sh); the pipeline
itself has no dependency on it.
"""
import hashlib
import json
import os
import platform
import shutil
import subprocess
import resource
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, ".build", "release")
# The core the DuckDB queries are compared with.
CORE = ["ingest", "normalize", "cohort"]
STAGES = ["ingest", "normalize", "cohort", "churn-attribution", "report"]


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def run(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True)


def shape_args(shape):
    return [] if shape == "saas" else ["--shape", shape]


def generator_fingerprint(shape):
    """SHA-256 over the files of 500 customers generated with the bench's seed and shape: it
    changes when the generator's output does, so bench data written by an earlier generator is
    generated again instead of being measured as if it were today's shape. (A change that showed
    only above 500 customers would go unseen.)"""
    h = hashlib.sha256()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "sample")
        run([os.path.join(BIN, "generate-sample"), "--customers", "500", "--seed", "42", "--out", out]
            + shape_args(shape))
        for name in sorted(os.listdir(out)):
            path = os.path.join(out, name)
            if os.path.isfile(path):
                h.update(name.encode() + b"\0")
                with open(path, "rb") as f:
                    h.update(f.read())
                h.update(b"\0")
    return h.hexdigest()


def timed(cmd, cwd):
    """Runs cmd; returns (wall seconds, peak RSS in MiB, user CPU seconds, kernel CPU seconds).
    The clock is `time.perf_counter` around the run (a 100k-customer stage takes about a tenth of
    a second, where the 10 ms steps of /usr/bin/time's clock would move a 1M/100k ratio by a
    tenth); the peak RSS and CPU times are /usr/bin/time's (a small process of its own, where a
    child of this Python process would report at least Python's own peak)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "BENCH %M %U %S"] + cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"bench: {' '.join(cmd)} exited {p.returncode}")
    fields = [l for l in p.stderr.splitlines() if l.startswith("BENCH ")][-1].split()
    return wall, int(fields[1]) / 1024.0, float(fields[2]), float(fields[3])


def cpu_seconds():
    """(user, kernel) CPU seconds this process and all its threads have used so far (DuckDB runs
    its query on threads of this process)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime


def manifest(work, stage):
    with open(os.path.join(work, stage, f"{stage}.manifest.json")) as f:
        return json.load(f)


def machine():
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    swift = run(["swift", "--version"]).stdout.splitlines()[0] if subprocess.run(["which", "swift"], capture_output=True).returncode == 0 else ""
    os_name = platform.platform()
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1), "cpu": cpu, "os": os_name, "swift": swift}


def outputs_digest(work):
    """SHA-1 of every stage output under work/ (the report stage's manifest, which holds the
    reports' run-time footer digests, aside), so the two runs can be checked byte for byte."""
    import hashlib
    digests = {}
    for stage in STAGES:
        folder = os.path.join(work, stage)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if stage == "report" or not (name.endswith(".jsonl") or name.endswith(".json")):
                continue
            h = hashlib.sha1()
            with open(os.path.join(folder, name), "rb") as f:
                for buf in iter(lambda: f.read(1 << 24), b""):
                    h.update(buf)
            digests[f"{stage}/{name}"] = h.hexdigest()
    return digests


def duckdb_query(name, data, config, *results):
    """Runs scripts/bench/NAME.sql (placeholders filled from the config) in one DuckDB connection
    on all cores, then each query of `results`; returns (seconds, [rows of each result],
    (user, kernel) CPU seconds)."""
    import duckdb  # only in bench/.venv

    with open(os.path.join(ROOT, "scripts", "bench", f"{name}.sql")) as f:
        sql = f.read()
    sql = sql.format(
        customers=os.path.join(data, "customers.csv"), subscriptions=os.path.join(data, "subscriptions.csv"),
        as_of=config["as_of"], grace=config.get("normalize", {}).get("grace_days", 0),
        max_offset=config.get("cohort", {}).get("max_offset_months", 24),
        usd_rate=config["currency"]["rates"]["USD"])
    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count()}")
    t0, (u0, k0) = time.time(), cpu_seconds()
    con.execute(sql)
    rows = [con.execute(q).fetchall() for q in results]
    (u1, k1) = cpu_seconds()
    return time.time() - t0, rows, (u1 - u0, k1 - k0)


def duckdb_run(data, config):
    """The full equivalent: (seconds, triangle rows, monthly window rows, (user, kernel) CPU s)."""
    seconds, (triangle, windows), cpu = duckdb_query(
        "duckdb_equivalent", data, config,
        "SELECT cohort, channel, \"offset\", customers, active, mrr_start_minor, mrr_minor FROM triangle",
        "SELECT \"to\", channel, base_customers, retained_customers, base_mrr_minor, end_mrr_minor, kept_mrr_minor FROM windows")
    return seconds, triangle, windows, cpu


def duckdb_minimal_run(data, config):
    """The minimal triangle query: (seconds, rows, (user, kernel) CPU s) with rows (cohort, channel,
    offset, customers, active, mrr_minor)."""
    seconds, (rows,), cpu = duckdb_query(
        "duckdb_minimal", data, config,
        "SELECT cohort, channel, \"offset\", customers, active, mrr_minor FROM minimal_triangle")
    return seconds, rows, cpu


def minimal_agreement(work, rows):
    """How many of the minimal query's rows have the customers, active and MRR our triangle has
    (it skips grace days and validation, so some cohorts differ by design)."""
    ours = {}
    with open(os.path.join(work, "cohort", "triangle.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            ours[(r["cohort"], r["channel"], r["offset"])] = (r["customers"], r["active"], r["mrr_minor"])
    same = sum(1 for c, ch, o, n, a, m in rows if ours.get((c, ch, o)) == (n, a, m))
    return {"rows": len(rows), "rows_equal_to_ours": same}


def agreement(work, triangle, windows):
    """Counts rows where DuckDB and the pipeline disagree (0 means identical)."""
    ours = {}
    with open(os.path.join(work, "cohort", "triangle.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r["cohort"] == "(weighted)":
                continue
            ours[(r["cohort"], r["channel"], r["offset"])] = (r["customers"], r["active"], r["mrr_start_minor"], r["mrr_minor"])
    theirs = {(c, ch, o): (n, a, ms, m) for c, ch, o, n, a, ms, m in triangle}
    tri_bad = sum(1 for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))
    ours_w = {}
    with open(os.path.join(work, "cohort", "windows.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r["kind"] != "month" or r["base_customers"] == 0:
                continue
            kept = None if r["grr"] is None else round(r["grr"] * r["base_mrr_minor"])
            ours_w[(r["to"], r["channel"])] = (r["base_customers"], r["retained_customers"], r["base_mrr_minor"], r["end_mrr_minor"], kept)
    theirs_w = {(to, ch): (b, rt, bm, em, int(k)) for to, ch, b, rt, bm, em, k in windows}
    win_bad = sum(1 for k in set(ours_w) | set(theirs_w) if ours_w.get(k) != theirs_w.get(k))
    return {"triangle_rows": len(theirs), "triangle_mismatches": tri_bad, "window_rows": len(theirs_w), "window_mismatches": win_bad}


def main():
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    bench_dir = os.path.join(ROOT, "bench")
    # BENCH_SHAPE=retail benchmarks generate-sample's retail shape (in its own folder).
    shape = os.environ.get("BENCH_SHAPE", "saas")
    data = os.path.join(bench_dir, "work", f"c{customers}" if shape == "saas" else f"{shape}{customers}")
    config_path = os.path.join(data, "pipeline.json")
    stamp_path = os.path.join(data, ".generator")
    fingerprint = generator_fingerprint(shape)
    stamp = open(stamp_path).read().strip() if os.path.exists(stamp_path) else None
    if not os.path.exists(config_path) or stamp != fingerprint:
        if os.path.exists(data):
            print(f"{data} was generated by another version of generate-sample: generating it again")
            shutil.rmtree(data)
        t0 = time.time()
        run([os.path.join(BIN, "generate-sample"), "--customers", str(customers), "--seed", "42", "--out", data]
            + shape_args(shape))
        with open(stamp_path, "w") as f:
            f.write(fingerprint + "\n")
        print(f"generated {customers:,} customers in {time.time() - t0:.1f} s -> {data}")
    with open(config_path) as f:
        config = json.load(f)
    work = os.path.join(data, config.get("work_dir", "data/work"))

    results = {"customers": customers, "shape": shape, "machine": machine(), "stages": {}}

    io = run([os.path.join(BIN, "cohort-bench"), "io", "--rows", "5000000", "--dir", os.path.join(bench_dir, "work")])
    results["jsonl_io"] = json.loads(io.stdout.strip().splitlines()[-1])
    print(f"JSONL I/O (5M interval records, one core): {io.stdout.strip().splitlines()[-1]}")

    # BENCH_REPEAT rounds (default 3), each from an empty work folder as a fresh clone's `make`
    # runs (replacing gigabytes of earlier outputs costs the kernel time of freeing them): the five
    # stages, then DuckDB's two queries. Ours and DuckDB alternate, so a slow spell of the machine
    # hits both; a stage's time is its median over the rounds, a ratio the median of the rounds'
    # ratios (each round's pair measured minutes apart at most).
    repeat = max(1, int(os.environ.get("BENCH_REPEAT", "3")))
    try:
        import duckdb  # noqa: F401  (only in bench/.venv)
        have_duckdb = True
    except ImportError:
        have_duckdb = False
        print("DuckDB not installed (scripts/bench.sh installs it into bench/.venv); skipping the comparison")
    rounds = []
    sequential = None
    for k in range(repeat):
        shutil.rmtree(work, ignore_errors=True)
        rnd = {"stages": {}}
        for stage in STAGES:
            rnd["stages"][stage] = timed([os.path.join(BIN, stage), "--config", config_path, "--quiet"], cwd=data)
        digests = outputs_digest(work)
        if sequential is None:
            sequential = digests
        elif digests != sequential:
            differ = sorted(x for x in set(sequential) | set(digests) if sequential.get(x) != digests.get(x))
            raise SystemExit(f"bench: round {k + 1} wrote different outputs: {', '.join(differ)}")
        if have_duckdb:
            rnd["duckdb"] = duckdb_run(data, config)
            rnd["duckdb_minimal"] = duckdb_minimal_run(data, config)
        rnd["ours"] = sum(rnd["stages"][x][0] for x in CORE)
        # CPU seconds of the three stages, user and kernel (all their threads).
        rnd["ours_cpu"] = (sum(rnd["stages"][x][2] for x in CORE), sum(rnd["stages"][x][3] for x in CORE))
        rounds.append(rnd)
        print(f"round {k + 1} of {repeat}: five stages {sum(t[0] for t in rnd['stages'].values()):.2f} s"
              + (f", DuckDB full {rnd['duckdb'][0]:.2f} s, minimal {rnd['duckdb_minimal'][0]:.2f} s" if have_duckdb else ""))
    results["rounds"] = repeat

    print(f"\n{'stage':<18}{'wall s':>8}{'input MB':>10}{'MB/s':>8}{'rows':>12}{'rows/s':>12}{'peak RSS MiB':>14}"
          f"  (median of {repeat} rounds; peak RSS the largest)")
    for stage in STAGES:
        walls = [r["stages"][stage][0] for r in rounds]
        wall = median(walls)
        rss = max(r["stages"][stage][1] for r in rounds)
        user = median([r["stages"][stage][2] for r in rounds])
        kernel = median([r["stages"][stage][3] for r in rounds])
        m = manifest(work, stage)
        in_bytes = sum(i["bytes"] for i in m["inputs"])
        if stage == "ingest":
            rows = sum(r["read"] for r in m["reconciliation"])
        else:
            rows = 0
            for i in m["inputs"]:
                p = i["path"] if os.path.isabs(i["path"]) else os.path.join(data, i["path"])
                if p.endswith(".jsonl"):
                    with open(p, "rb") as f:
                        rows += sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 24), b""))
        out_bytes = sum(o["bytes"] for o in m["outputs"])
        results["stages"][stage] = {"wall_s": wall, "wall_s_rounds": walls, "input_bytes": in_bytes,
                                    "output_bytes": out_bytes, "mb_per_s": in_bytes / 1e6 / wall if wall else None,
                                    "rows": rows, "rows_per_s": rows / wall if wall else None, "peak_rss_mib": round(rss, 1),
                                    "user_cpu_s": user, "kernel_cpu_s": kernel}
        print(f"{stage:<18}{wall:>8.2f}{in_bytes / 1e6:>10.1f}{in_bytes / 1e6 / max(wall, 1e-9):>8.0f}{rows:>12,}{rows / max(wall, 1e-9):>12,.0f}{rss:>14.0f}")
    totals = [sum(t[0] for t in r["stages"].values()) for r in rounds]
    results["total_wall_s"] = median(totals)
    results["total_wall_s_rounds"] = totals
    print(f"{'all five stages':<18}{results['total_wall_s']:>8.2f}  (one after another)")

    # End to end as `make` runs them: cohort and churn-attribution both wait only on normalize, so
    # with -j2 they run side by side on the two cores. BIN is given so that make runs the binaries
    # timed above as they are: with a source file edited since they were built, make would build
    # them again inside this timing.
    shutil.rmtree(work, ignore_errors=True)
    t0 = time.time()
    run(["make", "-j2", "--no-print-directory", f"CONFIG={config_path}", f"BIN={BIN}", "all"], cwd=ROOT)
    results["make_j2_wall_s"] = time.time() - t0
    print(f"{'make -j2 (all)':<18}{results['make_j2_wall_s']:>8.2f}  (end to end, cohort and churn-attribution in parallel)")
    after_make = outputs_digest(work)
    differ = sorted(k for k in set(sequential) | set(after_make) if sequential.get(k) != after_make.get(k))
    results["outputs_identical_across_runs"] = not differ
    if differ:
        raise SystemExit(f"bench: the two runs wrote different outputs: {', '.join(differ)}")
    print(f"{'':<18}all {repeat + 1} runs wrote byte-identical outputs ({len(sequential)} files)")

    if have_duckdb:
        ours = median([r["ours"] for r in rounds])
        triangle, windows = rounds[-1]["duckdb"][1:3]
        agree = agreement(work, triangle, windows)
        duck = [r["duckdb"][0] for r in rounds]
        ratios = [r["ours"] / r["duckdb"][0] for r in rounds]
        results["duckdb"] = {"wall_s": median(duck), "wall_s_rounds": duck, "ours_ingest_normalize_cohort_s": ours,
                             "ratio_ours_over_duckdb": median(ratios), "ratio_rounds": ratios, **agree}
        print(f"\nDuckDB (same triangle, month-end snapshots, monthly windows): {median(duck):.2f} s")
        print(f"ours (ingest + normalize + cohort): {ours:.2f} s; ratio ours/DuckDB = {median(ratios):.2f} "
              f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
        print(f"agreement: {agree['triangle_mismatches']} of {agree['triangle_rows']} triangle rows and "
              f"{agree['window_mismatches']} of {agree['window_rows']} monthly window rows differ")

        mini = minimal_agreement(work, rounds[-1]["duckdb_minimal"][1])
        mini_s = [r["duckdb_minimal"][0] for r in rounds]
        mini_ratios = [r["ours"] / r["duckdb_minimal"][0] for r in rounds]
        results["duckdb_minimal"] = {"wall_s": median(mini_s), "wall_s_rounds": mini_s,
                                     "ratio_ours_over_duckdb": median(mini_ratios), "ratio_rounds": mini_ratios, **mini}
        print(f"\nDuckDB, the minimal triangle query (scripts/bench/duckdb_minimal.sql): {median(mini_s):.2f} s")
        print(f"ours (ingest + normalize + cohort): {ours:.2f} s; ratio ours/DuckDB minimal = {median(mini_ratios):.2f} "
              f"(rounds: {', '.join(f'{x:.2f}' for x in mini_ratios)})")
        print(f"{mini['rows_equal_to_ours']:,} of its {mini['rows']:,} rows equal ours (it has no grace days or validation)")

        # Where the time goes: CPU seconds (user + kernel, all threads, medians over the rounds).
        # The kernel's share of ours is mostly the JSON Lines written between the stages.
        ours_user = median([r["ours_cpu"][0] for r in rounds])
        ours_kernel = median([r["ours_cpu"][1] for r in rounds])
        cpu = {"ours_user_s": ours_user, "ours_kernel_s": ours_kernel}
        for key, label in [("duckdb", "full"), ("duckdb_minimal", "minimal")]:
            cpu[f"{key}_user_s"] = median([r[key][-1][0] for r in rounds])
            cpu[f"{key}_kernel_s"] = median([r[key][-1][1] for r in rounds])
        results["cpu"] = cpu
        print(f"\nCPU seconds, user + kernel (medians): ours (ingest + normalize + cohort) {ours_user:.2f} + {ours_kernel:.2f}; "
              f"DuckDB full {cpu['duckdb_user_s']:.2f} + {cpu['duckdb_kernel_s']:.2f}; "
              f"minimal {cpu['duckdb_minimal_user_s']:.2f} + {cpu['duckdb_minimal_kernel_s']:.2f}")

    for name in ["results.json", f"results-{shape}-{customers}.json"]:
        with open(os.path.join(bench_dir, name), "w") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
    print(f"\nwrote bench/results.json and bench/results-{shape}-{customers}.json")
    if "duckdb" in results and (results["duckdb"]["triangle_mismatches"] or results["duckdb"]["window_mismatches"]):
        raise SystemExit("bench: DuckDB and the pipeline disagree (see above)")


if __name__ == "__main__":
    main()
