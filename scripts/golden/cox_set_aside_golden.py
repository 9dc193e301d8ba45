# Golden values for a Cox fit with a level nobody in it has left (CoxDesign.fit sets its customers
# aside), from lifelines' CoxPHFitter.
#
# Command (from the repository root):
#   bench/.venv/bin/python scripts/golden/cox_set_aside_golden.py
# Versions used: Python 3.11.7, lifelines 0.30.3 (the bench's virtual environment: make bench
#   creates it; or python3 -m venv bench/.venv && bench/.venv/bin/pip install lifelines).
#
# Writes Tests/CohortKitTests/Fixtures/golden/cox_set_aside.json: a seeded customer table with two
# categorical covariates, channel (organic, partner, quiet) and plan (basic, pro), where no "quiet"
# customer has churned and "quiet" customers are mostly on "pro" (so leaving them out moves the plan
# coefficient). Two lifelines fits:
# - "without_quiet": the customers outside "quiet", one-hot with the most frequent level as
#   reference; the fit CoxDesign.fit must equal (the limit of the full fit, exactly);
# - "all": every customer with a quiet column; lifelines warns that it does not converge, its quiet
#   coefficient runs towards -infinity and the other coefficients approach "without_quiet"'s.
import json
import os
import warnings

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter

SEED = 20261201
N = 360

rng = np.random.default_rng(SEED)
channel = rng.choice(["organic", "partner", "quiet"], size=N, p=[0.45, 0.30, 0.25])
pro_share = np.where(channel == "quiet", 0.8, 0.3)
plan = np.where(rng.uniform(size=N) < pro_share, "pro", "basic")
log_hr = np.where(channel == "partner", -0.4, 0.0) + np.where(plan == "pro", -0.5, 0.0)
event_time = rng.exponential(scale=300.0 / np.exp(log_hr))
censor_time = rng.uniform(30.0, 700.0, size=N)
duration = np.maximum(1, np.ceil(np.minimum(event_time, censor_time))).astype(int)
event = (event_time <= censor_time) & (channel != "quiet")

tight = {"precision": 1e-14, "r_precision": 1e-15}


def frame(mask, columns):
    df = pd.DataFrame({name: values[mask].astype(float) for name, values in columns.items()})
    df["duration"] = duration[mask]
    df["event"] = event[mask].astype(int)
    return df


def summary(cph, names):
    s = cph.summary
    return {
        "names": names,
        "coef": [float(s.loc[n, "coef"]) for n in names],
        "se": [float(s.loc[n, "se(coef)"]) for n in names],
        "log_likelihood": float(cph.log_likelihood_),
        "concordance": float(cph.concordance_index_),
        "n": int(cph._n_examples),
    }


# Without the quiet customers: organic and basic are the most frequent levels, so the references.
keep = channel != "quiet"
counts = pd.Series(channel[keep]).value_counts()
assert counts["organic"] > counts["partner"]
assert (plan[keep] == "basic").sum() > (plan[keep] == "pro").sum()
without = CoxPHFitter().fit(
    frame(keep, {"channel=partner": channel == "partner", "plan=pro": plan == "pro"}),
    duration_col="duration", event_col="event", fit_options=tight)

# Everyone, with the quiet column: lifelines warns and stops where the likelihood no longer moves.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    everyone = CoxPHFitter().fit(
        frame(np.ones(N, dtype=bool),
              {"channel=partner": channel == "partner", "channel=quiet": channel == "quiet",
               "plan=pro": plan == "pro"}),
        duration_col="duration", event_col="event")
warned = sorted({type(w.message).__name__ for w in caught})

out = {
    "description": "Seeded customers (seed %d), no churn in channel quiet: lifelines %s CoxPHFitter (Efron "
    "ties, no penalty) without the quiet customers (run to precision 1e-14), and on everyone (default "
    "options; lifelines warned: %s)." % (SEED, __import__("lifelines").__version__, ", ".join(warned)),
    "without_quiet": summary(without, ["channel=partner", "plan=pro"]),
    "all": summary(everyone, ["channel=partner", "channel=quiet", "plan=pro"]),
    "channel": [str(c) for c in channel],
    "plan": [str(p) for p in plan],
    "durations": [int(d) for d in duration],
    "events": [bool(e) for e in event],
}

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "..", "Tests", "CohortKitTests", "Fixtures", "golden", "cox_set_aside.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(json.dumps({k: out[k] for k in ["description", "without_quiet", "all"]}, indent=1))
