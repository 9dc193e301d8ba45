# Golden values for the survival statistics (Kaplan-Meier, log-rank, Holm), from lifelines and statsmodels.
#
# Command (from the repository root):
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install lifelines==0.30.3 statsmodels==0.15.0 scipy==1.17.1
#   /tmp/venv/bin/python scripts/golden/survival_golden.py
# Versions used: Python 3.11.7, lifelines 0.30.3, statsmodels 0.15.0, scipy 1.17.1, numpy 2.4.6, pandas 2.3.3.
# Writes Tests/CohortKitTests/Fixtures/golden/survival.json.
import json
import random
import warnings
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import lifelines
import numpy as np
import pandas as pd
import scipy
import statsmodels
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import restricted_mean_survival_time
from statsmodels.stats.multitest import multipletests

SEED = 20240517
OUT = Path(__file__).resolve().parents[2] / "Tests/CohortKitTests/Fixtures/golden/survival.json"


def month_mark(k):
    # round(30.4375 k), halves up: 30.4375 = 487/16.
    return (487 * k + 8) // 16


def build_rows():
    """A few hundred customers: whole-day durations with many ties, about a quarter censored (103 of 402), 4 groups."""
    rng = random.Random(SEED)
    rows = []
    for group, size, scale in [(0, 160, 420.0), (1, 130, 260.0), (2, 100, 600.0)]:
        for _ in range(size):
            churn = rng.expovariate(1.0 / scale)
            # Half the churns land on 30-day boundaries (annual/monthly renewals), which makes ties.
            churn_day = 30 * max(1, round(churn / 30)) if rng.random() < 0.5 else int(churn) + 1
            # Censoring: 40% at a random observation horizon (multiple of 15), the rest at day 800.
            censor_day = rng.randrange(30, 801, 15) if rng.random() < 0.4 else 800
            if churn_day <= censor_day:
                rows.append((churn_day, True, group))
            else:
                rows.append((censor_day, False, group))
    # A small group, written out: a churn and a censoring on the same day (120), and the last two
    # customers churning together (S falls to 0 at day 250).
    small = [(30, True), (30, True), (45, True), (60, False), (90, True), (120, True), (120, False),
             (150, True), (200, True), (200, False), (250, True), (250, True)]
    rows += [(d, e, 3) for d, e in small]
    return rows


def exact_median(durations, events):
    """First event day with S <= 1/2, S as an exact fraction; None if never."""
    s = Fraction(1)
    for t in sorted(set(d for d, e in zip(durations, events) if e)):
        n = sum(1 for d in durations if d >= t)
        dd = sum(1 for d, e in zip(durations, events) if e and d == t)
        s *= Fraction(n - dd, n)
        if s <= Fraction(1, 2):
            return int(t)
    return None


def step_lookup(frame, t):
    """Value of a lifelines step function (indexed by its timeline) at day t."""
    index = frame.index.values
    i = np.searchsorted(index, t, side="right") - 1
    assert i >= 0, "lifelines' timeline starts at 0"
    return frame.iloc[i]


def curve(durations, events, group, confidence):
    kmf = KaplanMeierFitter(alpha=1 - confidence).fit(durations, events)
    marks = [month_mark(k) for k in range(1, 25)]
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_
    median = kmf.median_survival_time_
    exact = exact_median(list(durations), list(events))
    lifelines_median = None if np.isinf(median) else int(median)
    assert lifelines_median == exact, (group, lifelines_median, exact)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rmst = {str(t): float(restricted_mean_survival_time(kmf, t=t)) for t in (365, 731)}
    return {
        "group": group,
        "confidence": confidence,
        "customers": int(len(durations)),
        "churned": int(np.sum(events)),
        "survival": [float(step_lookup(sf, t)) for t in marks],
        "ci_lower": [float(step_lookup(ci, t).iloc[0]) for t in marks],
        "ci_upper": [float(step_lookup(ci, t).iloc[1]) for t in marks],
        "at_risk": [int(np.sum(durations >= t)) for t in marks],
        "events": [int(np.sum(events & (durations <= t))) for t in marks],
        "median_days": exact,
        "restricted_mean_days": rmst,
        "timeline": {
            "day": [int(t) for t in sf.index],
            "survival": [float(x) for x in sf.values],
            "ci_lower": [float(x) for x in ci.iloc[:, 0].values],
            "ci_upper": [float(x) for x in ci.iloc[:, 1].values],
        },
    }


def main():
    rows = build_rows()
    durations = np.array([r[0] for r in rows])
    events = np.array([r[1] for r in rows])
    groups = np.array([r[2] for r in rows])

    curves = [curve(durations, events, None, 0.95), curve(durations, events, None, 0.90)]
    for g in sorted(set(groups.tolist())):
        mask = groups == g
        curves.append(curve(durations[mask], events[mask], int(g), 0.95))

    overall = multivariate_logrank_test(durations, groups, events)
    pairs = []
    for a, b in combinations(sorted(set(groups.tolist())), 2):
        ma, mb = groups == a, groups == b
        r = logrank_test(durations[ma], durations[mb], events[ma], events[mb])
        pairs.append({"a": int(a), "b": int(b), "statistic": float(r.test_statistic), "p_value": float(r.p_value)})
    holm = multipletests([p["p_value"] for p in pairs], method="holm")[1]
    for p, h in zip(pairs, holm):
        p["p_holm"] = float(h)

    # Hand-checkable case: [1, 2] vs [3, 4], all churned: statistic 49/17.
    tiny = logrank_test([1, 2], [3, 4], [1, 1], [1, 1])

    out = {
        "about": "Expected survival statistics from lifelines/statsmodels; produced by scripts/golden/survival_golden.py",
        "seed": SEED,
        "versions": {"lifelines": lifelines.__version__, "statsmodels": statsmodels.__version__,
                     "scipy": scipy.__version__, "numpy": np.__version__, "pandas": pd.__version__},
        "rows": {"duration": durations.tolist(), "event": events.tolist(), "group": groups.tolist()},
        "group_count": 4,
        "marks": [month_mark(k) for k in range(1, 25)],
        "curves": curves,
        "logrank": {"statistic": float(overall.test_statistic), "df": int(overall.degrees_of_freedom),
                    "p_value": float(overall.p_value)},
        "pairwise": pairs,
        "tiny_logrank": {"durations": [1, 2, 3, 4], "events": [True] * 4, "groups": [0, 0, 1, 1],
                         "statistic": float(tiny.test_statistic), "p_value": float(tiny.p_value)},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}: {len(rows)} rows, censored {int((~events).sum())}")


if __name__ == "__main__":
    main()
