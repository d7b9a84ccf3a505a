#!/usr/bin/env python3
"""Generate the Learning module's test fixtures with River 0.26 as the oracle.

    pip install "river==0.26.*" numpy scipy
    python3 make_fixtures.py          # writes drift_streams.csv, drift_expected.json, sea_*.{csv,json}

Drift detectors: a set of synthetic streams (no drift, abrupt, gradual, several
shifts, Bernoulli error rates) is fed to River's detectors; the 0-based indices
where `drift_detected` / `warning_detected` is true right after the update are
recorded. Values are rounded to 4 decimals *before* River sees them, so the CSV
holds exactly the stream River processed.
"""
import csv
import json
import os
import random

import numpy as np
import river
from river import drift
from river.drift import binary

HERE = os.path.dirname(os.path.abspath(__file__))
N = 2000


def continuous_streams():
    rng = np.random.default_rng(20240601)
    s = {}
    s["none"] = rng.normal(0.0, 1.0, N)
    s["abrupt"] = np.concatenate([rng.normal(0.0, 1.0, N // 2), rng.normal(1.5, 1.0, N // 2)])
    ramp = np.clip((np.arange(N) - 800) / 600.0, 0.0, 1.0) * 2.0
    s["gradual"] = rng.normal(0.0, 1.0, N) + ramp
    levels = np.repeat([0.0, 2.0, -1.0, 3.0, 0.5], N // 5)
    s["multi"] = rng.normal(0.0, 0.5, N) + levels
    s["variance"] = np.concatenate([rng.normal(5.0, 0.2, N // 2), rng.normal(5.0, 3.0, N // 2)])
    py = random.Random(12345)  # River's ADWIN doc example: {0,1} then {4..7}
    s["doc_example"] = np.array(py.choices([0, 1], k=N // 2) + py.choices(range(4, 8), k=N // 2), float)
    return {k: np.round(v, 4) for k, v in s.items()}


def binary_streams():
    rng = np.random.default_rng(7)
    s = {}
    s["err_none"] = (rng.random(N) < 0.2).astype(float)
    s["err_abrupt"] = (rng.random(N) < np.where(np.arange(N) < N // 2, 0.1, 0.4)).astype(float)
    s["err_gradual"] = (rng.random(N) < 0.1 + 0.4 * np.clip((np.arange(N) - 700) / 800.0, 0, 1)).astype(float)
    rates = np.repeat([0.05, 0.3, 0.1, 0.5, 0.2], N // 5)
    s["err_multi"] = (rng.random(N) < rates).astype(float)
    s["err_improving"] = (rng.random(N) < np.where(np.arange(N) < N // 2, 0.4, 0.05)).astype(float)
    return s


def run(detector, values):
    drifts, warnings = [], []
    for i, x in enumerate(values):
        detector.update(float(x))
        if detector.drift_detected:
            drifts.append(i)
        if getattr(detector, "warning_detected", False):
            warnings.append(i)
    return drifts, warnings


def build(name, params):
    if name == "adwin":
        return drift.ADWIN(**params)
    if name == "ddm":
        return binary.DDM(**params)
    if name == "eddm":
        return binary.EDDM(**params)
    if name == "page-hinkley":
        return drift.PageHinkley(**params)
    if name == "kswin":
        return drift.KSWIN(**params)
    raise ValueError(name)


def main():
    cont = continuous_streams()
    bina = binary_streams()
    streams = {**cont, **bina}
    names = list(streams)
    with open(os.path.join(HERE, "drift_streams.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for i in range(N):
            w.writerow([repr(float(streams[k][i])) if k in cont else str(int(streams[k][i])) for k in names])

    cont_configs = [
        ("adwin", {}), ("adwin", {"delta": 0.01, "clock": 1}), ("adwin", {"clock": 8, "max_buckets": 3, "min_window_length": 10, "grace_period": 50}),
        ("page-hinkley", {}), ("page-hinkley", {"mode": "up", "threshold": 20.0}), ("page-hinkley", {"mode": "down", "threshold": 20.0}),
        ("page-hinkley", {"min_instances": 10, "delta": 0.05, "threshold": 10.0, "alpha": 0.999}),
        ("kswin", {"seed": 42}), ("kswin", {"seed": 7, "alpha": 0.01, "window_size": 200, "stat_size": 50}),
        ("kswin", {"seed": 123456789012, "window_size": 400, "stat_size": 30, "alpha": 0.01}),
        ("kswin", {"seed": 3, "window_size": 20, "stat_size": 5, "alpha": 0.05}),
    ]
    bin_configs = [
        ("ddm", {}), ("ddm", {"warm_start": 100, "warning_threshold": 1.5, "drift_threshold": 2.5}),
        ("eddm", {}), ("eddm", {"warm_start": 10, "alpha": 0.98, "beta": 0.95}),
        ("adwin", {}), ("page-hinkley", {"threshold": 5.0}),
    ]
    cases = []
    for streams_of, configs in ((cont, cont_configs), (bina, bin_configs)):
        for det, params in configs:
            for sname, values in streams_of.items():
                d, wn = run(build(det, params), values)
                cases.append({"detector": det, "params": params, "stream": sname, "drifts": d, "warnings": wn})
    with open(os.path.join(HERE, "drift_expected.json"), "w") as f:
        json.dump({"river": river.__version__, "cases": cases}, f, indent=0)
    print(f"{len(cases)} cases, {sum(len(c['drifts']) for c in cases)} drifts")


def rng_and_ks():
    """CPython Mersenne Twister outputs and SciPy exact two-sample KS results."""
    from scipy import stats
    out = {"rng": [], "ks": []}
    for seed in (0, 1, 42, 123456789012):
        r = random.Random(seed)
        bits = [r.getrandbits(32) for _ in range(5)]
        r = random.Random(seed)
        sample = r.sample(range(70), 30)
        big = r.sample(range(370), 30)
        out["rng"].append({"seed": seed, "bits": bits, "sample70": sample, "sample370": big})
    g = np.random.default_rng(3)
    for n, shift in ((30, 0.0), (30, 0.8), (50, 0.5), (5, 3.0), (10, 0.0), (30, 2.0)):
        a = np.round(g.normal(0, 1, n), 2)  # rounding creates ties
        b = np.round(g.normal(shift, 1, n), 2)
        st, p = stats.ks_2samp(a, b, method="auto")
        out["ks"].append({"a": a.tolist(), "b": b.tolist(), "statistic": float(st), "pvalue": float(p)})
    with open(os.path.join(HERE, "rng_ks_expected.json"), "w") as f:
        json.dump(out, f)


def sea_stream(rows_per_variant=5000, base_seed=1000, noise=0.1):
    """River's synth.SEA with variant switches 0 -> 1 -> 2 -> 3 (10% label noise)."""
    from river.datasets import synth
    rows = []
    for v in range(4):
        rows.extend(synth.SEA(variant=v, noise=noise, seed=base_seed + v).take(rows_per_variant))
    return rows


def prequential(model, rows):
    correct, preds = 0, []
    for x, y in rows:
        p = model.predict_one(x)
        preds.append("N" if p is None else ("1" if p else "0"))
        correct += int(p == y)
        model.learn_one(x, y)
    return correct / len(rows), "".join(preds)


def sea_fixtures():
    from river import forest, linear_model, preprocessing
    rows = sea_stream()
    with open(os.path.join(HERE, "sea_head.csv"), "w") as f:
        f.write("x0,x1,x2,y\n")
        for x, y in rows[:50]:
            f.write(f"{x[0]!r},{x[1]!r},{x[2]!r},{int(y)}\n")
    out = {"rows": len(rows), "label_mean": sum(y for _, y in rows) / len(rows)}
    acc, preds = prequential(preprocessing.StandardScaler() | linear_model.LogisticRegression(), rows)
    out["logistic_regression"] = {"accuracy": acc, "predictions": preds}
    from river import optim
    hinge = preprocessing.StandardScaler() | linear_model.LogisticRegression(loss=optim.losses.Hinge())
    acc, _ = prequential(hinge, rows)
    out["hinge_sgd"] = {"accuracy": acc}
    acc, _ = prequential(preprocessing.StandardScaler() | linear_model.PAClassifier(), rows)
    out["pa_classifier"] = {"accuracy": acc}
    acc, preds = prequential(forest.ARFClassifier(seed=42), rows)
    out["arf_seed42"] = {"accuracy": acc, "predictions": preds}
    with open(os.path.join(HERE, "sea_expected.json"), "w") as f:
        json.dump(out, f)
    print({k: (v["accuracy"] if isinstance(v, dict) else v) for k, v in out.items()})


if __name__ == "__main__":
    import sys
    if "--sea-only" not in sys.argv:
        main()
        rng_and_ks()
    sea_fixtures()
