# Golden values for the churn-attribution segments and pairwise tests, from lifelines and statsmodels,
# on the same synthetic customers as cox.json.
#
# Command (from the repository root):
#   python3 -m venv /work/venv-cox && /work/venv-cox/bin/pip install lifelines==0.30.3 statsmodels==0.15.0
#   /work/venv-cox/bin/python scripts/golden/attribution_golden.py
# Versions used: Python 3.11.7, lifelines 0.30.3, statsmodels 0.15.0, numpy 2.4.6, pandas 2.3.3, scipy 1.17.1
#
# Writes Tests/CohortKitTests/Fixtures/golden/attribution.json: the customers of cox.json with their
# raw levels (channel, plan, region), duration in days and churn flag, and per dimension:
# - per level: customers, churned, Kaplan-Meier churn probability 1 - S(t) at t = 90 and t = 365 with
#   95% intervals from lifelines' default log(-log) transform (churn lower = 1 - survival upper),
#   and relative risk (1 - S_level(365)) / (1 - S_all(365));
# - the dimension's multivariate_logrank_test statistic, degrees of freedom and p-value;
# - pairwise logrank_test statistic and p-value for each pair of levels (in name order), with Holm's
#   adjustment over the dimension's pairs from statsmodels' multipletests(method="holm"), checked
#   against a hand-written Holm.
# The generator below repeats cox_golden.py's and the script checks it reproduces cox.json exactly.
import json
import os
from itertools import combinations

import lifelines
import numpy as np
import pandas as pd
import statsmodels
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from statsmodels.stats.multitest import multipletests

SEED = 20240611
N = 800
MARKS = [90, 365]

rng = np.random.default_rng(SEED)
channel = rng.choice(["organic", "paid_search", "partner", "referral"], size=N, p=[0.40, 0.25, 0.20, 0.15])
plan = rng.choice(["basic", "pro", "enterprise"], size=N, p=[0.5, 0.35, 0.15])
region = rng.choice(["emea", "amer", "apac"], size=N, p=[0.4, 0.4, 0.2])
log_hr = (
    np.select([channel == "paid_search", channel == "partner", channel == "referral"], [0.5, -0.3, 0.2], 0.0)
    + np.select([plan == "pro", plan == "enterprise"], [-0.4, -0.9], 0.0)
    + np.select([region == "apac", region == "amer"], [0.3, 0.05], 0.0)
)
event_time = rng.exponential(scale=420.0 / np.exp(log_hr))
censor_time = rng.uniform(60.0, 1000.0, size=N)
duration = np.maximum(1, np.ceil(np.minimum(event_time, censor_time))).astype(int)
event = event_time <= censor_time

here = os.path.dirname(os.path.abspath(__file__))
golden = os.path.join(here, "..", "..", "Tests", "CohortKitTests", "Fixtures", "golden")
with open(os.path.join(golden, "cox.json")) as f:
    cox = json.load(f)
assert cox["durations"] == [int(d) for d in duration]
assert cox["events"] == [bool(e) for e in event]
raw = {"channel": channel, "plan": plan, "region": region}
for j, name in enumerate(cox["names"]):
    col, level = name.split("=")
    assert [row[j] for row in cox["covariates"]] == [float(v == level) for v in raw[col]]


def churn_at(kmf, t):
    """1 - S(t) and its interval, reading lifelines' step functions at t (last row with time <= t)."""
    s = float(kmf.survival_function_.loc[:t].iloc[-1, 0])
    ci = kmf.confidence_interval_survival_function_.loc[:t].iloc[-1]
    lower, upper = float(ci.iloc[0]), float(ci.iloc[1])
    assert lower <= s <= upper
    return 1 - s, 1 - upper, 1 - lower


def holm(p):
    """Holm's step-down adjustment by hand: sorted ascending, min(1, running max of (m - rank) p)."""
    m = len(p)
    out, running = [0.0] * m, 0.0
    for rank, i in enumerate(sorted(range(m), key=lambda i: p[i])):
        running = max(running, (m - rank) * p[i])
        out[i] = min(1.0, running)
    return out


all_km = KaplanMeierFitter().fit(duration, event)
all_churn_1y = churn_at(all_km, 365)[0]
dimensions = []
for name in ["channel", "plan", "region"]:
    values = raw[name]
    levels = sorted(set(values))
    segments = []
    for level in levels:
        mask = values == level
        kmf = KaplanMeierFitter().fit(duration[mask], event[mask])
        row = {"value": level, "customers": int(mask.sum()), "churned": int(event[mask].sum())}
        for t in MARKS:
            p, lo, hi = churn_at(kmf, t)
            row[f"churn_prob_{t}"] = p
            row[f"churn_prob_{t}_lower"] = lo
            row[f"churn_prob_{t}_upper"] = hi
        row["relative_risk"] = row["churn_prob_365"] / all_churn_1y
        segments.append(row)
    overall = multivariate_logrank_test(duration, values, event)
    pairs = []
    for a, b in combinations(levels, 2):
        ma, mb = values == a, values == b
        r = logrank_test(duration[ma], duration[mb], event_observed_A=event[ma], event_observed_B=event[mb])
        pairs.append({"a": a, "b": b, "statistic": float(r.test_statistic), "p_value": float(r.p_value)})
    adjusted = multipletests([q["p_value"] for q in pairs], method="holm")[1]
    by_hand = holm([q["p_value"] for q in pairs])
    assert max(abs(x - y) for x, y in zip(adjusted, by_hand)) < 1e-15
    for q, h in zip(pairs, adjusted):
        q["p_holm"] = float(h)
    dimensions.append({
        "name": name,
        "logrank_statistic": float(overall.test_statistic),
        "logrank_df": int(overall.degrees_of_freedom),
        "logrank_p_value": float(overall.p_value),
        "segments": segments,
        "pairwise": pairs,
    })

all_churn = {}
for t in MARKS:
    p, lo, hi = churn_at(all_km, t)
    all_churn.update({f"churn_prob_{t}": p, f"churn_prob_{t}_lower": lo, f"churn_prob_{t}_upper": hi})

out = {
    "description": "Customers of cox.json (seed %d): Kaplan-Meier churn probabilities with log(-log) 95%% "
    "intervals, log-rank tests and Holm-adjusted pairwise tests from lifelines %s and statsmodels %s."
    % (SEED, lifelines.__version__, statsmodels.__version__),
    "marks": MARKS,
    "all": all_churn,
    "dimensions": dimensions,
}
rows = {
    "channel": [str(v) for v in channel],
    "plan": [str(v) for v in plan],
    "region": [str(v) for v in region],
    "durations": [int(d) for d in duration],
    "events": [bool(e) for e in event],
}
text = json.dumps(out, indent=1)[:-2]
for key, value in rows.items():
    text += ',\n "%s": %s' % (key, json.dumps(value))
text += "\n}\n"
json.loads(text)
with open(os.path.join(golden, "attribution.json"), "w") as f:
    f.write(text)
for d in dimensions:
    print(d["name"], "logrank p", d["logrank_p_value"], [(q["a"], q["b"], round(q["p_holm"], 6)) for q in d["pairwise"]])
print("max duration", int(duration.max()), "min", int(duration.min()))
