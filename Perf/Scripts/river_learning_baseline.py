#!/usr/bin/env python3
"""Time River 0.26 on the data `quantum-agent perf learn` uses; print ratios against it.

    pip install "river==0.26.*"
    swift build -c release
    .build/release/quantum-agent perf learn --json > /tmp/learn.json
    python3 Perf/Scripts/river_learning_baseline.py --swift-json /tmp/learn.json   # table with ratios
    python3 Perf/Scripts/river_learning_baseline.py --n 200000 --json              # River alone, JSON

Streams (identical to the Swift benchmark's, same 64-bit LCG, seed 42):
  detectors: n values; Gaussian-ish (sum of 3 uniforms - 1.5) with +1 mean shift on every
  second block of 100,000 values (ADWIN, PageHinkley, KSWIN on the first 20,000), then
  Bernoulli errors 0.1 / 0.3 (DDM, EDDM);
  models: River's synth.SEA, variants 0->1->2->3, min(n, 20000)/4 rows each, 10% noise,
  seeds 1000+v; prequential predict_one + learn_one per row.
Timing as the Swift side: each pass is cut into batches (1000 updates / 200 rows), each batch
is timed, and the figure is the median of the per-update (per-row) cost over all batches of
all passes. With --swift-json, n, the batch sizes and the passes are read from the Swift report.
"""
import argparse
import json
import statistics
import sys
import time

from river import drift, forest, linear_model, optim, preprocessing
from river.datasets import synth
from river.drift import binary

MASK = (1 << 64) - 1

# Issue 3's speed targets: Swift must be at least this many times faster than River.
TARGETS = {"ADWIN": 3, "DDM": 10, "EDDM": 10, "PageHinkley": 10, "ONLINE_GD": 20, "STREAM_RF": 100}


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


def time_detector(make, xs, repeat, batch):
    samples = []
    for _ in range(repeat):
        d = make()
        for start in range(0, len(xs), batch):
            chunk = xs[start:start + batch]
            t0 = time.perf_counter_ns()
            for x in chunk:
                d.update(x)
                _ = d.drift_detected
            samples.append((time.perf_counter_ns() - t0) / len(chunk))
    return statistics.median(samples)


def sea_rows(total):
    rows = []
    for v in range(4):
        rows.extend(synth.SEA(variant=v, noise=0.1, seed=1000 + v).take(total // 4))
    return rows


def time_model(make, rows, repeat, batch):
    samples, acc = [], None
    for _ in range(repeat):
        m, correct = make(), 0
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            t0 = time.perf_counter_ns()
            for x, y in chunk:
                correct += m.predict_one(x) == y
                m.learn_one(x, y)
            samples.append((time.perf_counter_ns() - t0) / len(chunk))
        acc = correct / len(rows)
    return statistics.median(samples), acc


def measure(n, model_rows, repeat, batch_updates, batch_rows):
    gauss, bits = streams(n)
    ns = {
        "ADWIN": time_detector(drift.ADWIN, gauss, repeat, batch_updates),
        "DDM": time_detector(binary.DDM, bits, repeat, batch_updates),
        "EDDM": time_detector(binary.EDDM, bits, repeat, batch_updates),
        "PageHinkley": time_detector(drift.PageHinkley, gauss, repeat, batch_updates),
        "KSWIN": time_detector(lambda: drift.KSWIN(seed=1), gauss[:20_000], 1, batch_updates),
    }
    rows = sea_rows(model_rows)
    accuracy = {}
    ns["ONLINE_GD"], accuracy["ONLINE_GD"] = time_model(
        lambda: preprocessing.StandardScaler() | linear_model.LogisticRegression(), rows, repeat, batch_rows)
    ns["INCREMENTAL_SVM"], accuracy["INCREMENTAL_SVM"] = time_model(
        lambda: preprocessing.StandardScaler() | linear_model.LogisticRegression(loss=optim.losses.Hinge()),
        rows, repeat, batch_rows)
    ns["STREAM_RF"], accuracy["STREAM_RF"] = time_model(lambda: forest.ARFClassifier(seed=42), rows, 1, batch_rows)
    return ns, accuracy


def swift_costs(report):
    ns, acc = {}, {}
    for name, c in report.get("detectors", {}).items():
        ns[name] = c["ns_per_update_p50"]
    for name, c in report.get("models", {}).items():
        ns[name] = c["ns_per_row_p50"]
        acc[name] = c["accuracy"]
    return ns, acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200_000, help="values per detector stream (without --swift-json)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print River's figures (and the ratios) as JSON")
    ap.add_argument("--swift-json", default="", help="`perf learn --json` output file ('-' for stdin)")
    a = ap.parse_args()
    swift_ns, swift_acc = {}, {}
    n, model_rows, repeat, bu, br = a.n, min(a.n, 20_000) // 4 * 4, a.repeat, 1000, 200
    if a.swift_json:
        try:
            text = sys.stdin.read() if a.swift_json == "-" else open(a.swift_json).read()
            report = json.loads(text)
            n, model_rows = report["rows"], report["model_rows"]
            repeat, bu, br = report["repeats"], report["batch_updates"], report["batch_rows"]
        except (OSError, ValueError, KeyError) as e:
            sys.exit(f"error: --swift-json {a.swift_json}: not a `perf learn --json` report ({e})")
        swift_ns, swift_acc = swift_costs(report)
    ns, accuracy = measure(n, model_rows, repeat, bu, br)
    ratios = {k: ns[k] / swift_ns[k] for k in ns if swift_ns.get(k)}
    if a.json:
        print(json.dumps({"river_ns": ns, "river_accuracy": accuracy, "speedup": ratios,
                          "rows": n, "model_rows": model_rows}, sort_keys=True))
        return
    print(f"River vs Swift: {n} detector updates, {model_rows} SEA rows, p50 over batches of {bu} updates / {br} rows")
    print(f"{'case':<16}{'River ns':>12}{'Swift ns':>12}{'speed-up':>10}{'target':>11}  {'River acc':>9}{'Swift acc':>10}")
    for name in list(ns) + [k for k in swift_ns if k not in ns]:
        r, s = ns.get(name), swift_ns.get(name)
        ratio = f"x{r / s:.1f}" if r and s else "-"
        t = TARGETS.get(name)
        target = "-" if t is None else (f">={t}" + ("" if not (r and s) else (" ok" if r / s >= t else " MISS")))
        ra = f"{accuracy[name]:.5f}" if name in accuracy else "-"
        sa = f"{swift_acc[name]:.5f}" if name in swift_acc else "-"
        rs = f"{r:.1f}" if r else "-"
        ss = f"{s:.1f}" if s else "-"
        print(f"{name:<16}{rs:>12}{ss:>12}{ratio:>10}{target:>11}  {ra:>9}{sa:>10}")


if __name__ == "__main__":
    main()
