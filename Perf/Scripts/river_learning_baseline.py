#!/usr/bin/env python3
"""Time River 0.26 on the data the Swift Learning benchmarks use; print per-update costs.

    pip install "river==0.26.*"
    python3 Perf/Scripts/river_learning_baseline.py [--n 200000] [--json]
    python3 Perf/Scripts/river_learning_baseline.py --swift "ADWIN=60,DDM=7,..."   # also print ratios

Streams (identical to the Swift benchmark's, same 64-bit LCG):
  detectors: n values; Gaussian-ish (sum of 3 uniforms - 1.5) with +1 mean shift every
  100,000 values (ADWIN, PageHinkley, KSWIN), Bernoulli errors 0.1 / 0.3 (DDM, EDDM);
  models: River's synth.SEA, variants 0->1->2->3, 5,000 rows each, 10% noise, seeds 1000+v;
  prequential predict_one + learn_one per row.
Costs are medians of --repeat runs, in ns per update (detectors) or per row (models).
"""
import argparse
import json
import statistics
import time

from river import drift, forest, linear_model, preprocessing
from river.datasets import synth
from river.drift import binary

MASK = (1 << 64) - 1


class LCG:
    def __init__(self, state=42):
        self.state = state

    def uniform(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 11) / float(1 << 53)


def streams(n):
    g = LCG()
    gauss = [(g.uniform() + g.uniform() + g.uniform() - 1.5) + (0 if i % 200_000 < 100_000 else 1) for i in range(n)]
    bits = [1 if g.uniform() < (0.1 if i % 200_000 < 100_000 else 0.3) else 0 for i in range(n)]
    return gauss, bits


def time_detector(make, xs, repeat):
    runs = []
    for _ in range(repeat):
        d = make()
        t0 = time.perf_counter_ns()
        for x in xs:
            d.update(x)
            _ = d.drift_detected
        runs.append((time.perf_counter_ns() - t0) / len(xs))
    return statistics.median(runs)


def sea_rows():
    rows = []
    for v in range(4):
        rows.extend(synth.SEA(variant=v, noise=0.1, seed=1000 + v).take(5000))
    return rows


def time_model(make, rows, repeat):
    runs, acc = [], None
    for _ in range(repeat):
        m, correct = make(), 0
        t0 = time.perf_counter_ns()
        for x, y in rows:
            correct += m.predict_one(x) == y
            m.learn_one(x, y)
        runs.append((time.perf_counter_ns() - t0) / len(rows))
        acc = correct / len(rows)
    return statistics.median(runs), acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200_000, help="values per detector stream")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--swift", default="", help="NAME=ns,... Swift costs to print ratios against")
    a = ap.parse_args()
    gauss, bits = streams(a.n)
    out = {
        "ADWIN": time_detector(drift.ADWIN, gauss, a.repeat),
        "DDM": time_detector(binary.DDM, bits, a.repeat),
        "EDDM": time_detector(binary.EDDM, bits, a.repeat),
        "PageHinkley": time_detector(drift.PageHinkley, gauss, a.repeat),
        "KSWIN": time_detector(lambda: drift.KSWIN(seed=1), gauss[: min(a.n, 20_000)], 1),
    }
    rows = sea_rows()
    accuracy = {}
    out["ONLINE_GD"], accuracy["ONLINE_GD"] = time_model(
        lambda: preprocessing.StandardScaler() | linear_model.LogisticRegression(), rows, a.repeat)
    out["STREAM_RF"], accuracy["STREAM_RF"] = time_model(lambda: forest.ARFClassifier(seed=42), rows, 1)
    swift = {k: float(v) for k, v in (kv.split("=") for kv in a.swift.split(",") if kv)}
    if a.json:
        print(json.dumps({"river_ns": out, "river_accuracy": accuracy}))
        return
    for name, ns in out.items():
        ratio = f"  speed-up x{ns / swift[name]:.1f}" if name in swift else ""
        acc = f"  accuracy {accuracy[name]:.5f}" if name in accuracy else ""
        print(f"{name:<12} River {ns:12.1f} ns/update{acc}{ratio}")


if __name__ == "__main__":
    main()
