#!/usr/bin/env python3
"""Generates the Monitoring fixtures with the reference implementations.

scikit-learn 1.9.1, scipy 1.17.1, numpy 2.4.6 (pip install scikit-learn scipy numpy).
Run from this folder:  python3 make_fixtures.py
Writes classification.json, drift.json, pnl.json, evaluation.json (inputs + expected values).
"""
import json
import math

import numpy as np
import scipy
import sklearn
from scipy.stats import ks_2samp, wasserstein_distance
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, brier_score_loss, f1_score, log_loss,
                             precision_score, recall_score, roc_auc_score)

rng = np.random.default_rng(20261121)
VERSIONS = {"scikit-learn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}


def ece(y, p, n_bins=10):
    """Expected calibration error on calibration_curve(strategy='uniform') bins."""
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    binids = np.searchsorted(bins[1:-1], p)
    total = np.bincount(binids, minlength=n_bins)
    weights = total[total != 0] / len(p)
    return float(np.sum(weights * np.abs(prob_true - prob_pred)))


def psi(ref, cur, bins=10, eps=1e-4):
    """PSI on reference order-statistic edges ref_sorted[(k*n)//bins], k = 1..bins-1."""
    ref = np.sort(np.asarray(ref, dtype=float))
    cur = np.asarray(cur, dtype=float)
    n = len(ref)
    edges = np.unique(np.array([ref[(k * n) // bins] for k in range(1, bins)]))
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1) / n
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1) / len(cur)
    r = np.maximum(r, eps)
    c = np.maximum(c, eps)
    return float(np.sum((c - r) * np.log(c / r)))


def classification_case(name, y, p):
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    hard = (p >= 0.5).astype(int)
    auc = None
    if len(np.unique(y)) == 2:
        auc = float(roc_auc_score(y, p))
    return {
        "name": name, "labels": y.tolist(), "scores": p.tolist(),
        "accuracy": float(accuracy_score(y, hard)),
        "precision": float(precision_score(y, hard, zero_division=0)),
        "recall": float(recall_score(y, hard, zero_division=0)),
        "f1": float(f1_score(y, hard, zero_division=0)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "brier": float(brier_score_loss(y, p, pos_label=1)),
        "ece": ece(y, p),
        "roc_auc": auc,
    }


def classification_cases():
    cases = []
    n = 300
    y = rng.integers(0, 2, n)
    p = np.clip(0.5 + (y - 0.5) * 0.4 + rng.normal(0, 0.25, n), 0, 1)
    cases.append(classification_case("continuous_scores", y, p))
    y = rng.integers(0, 2, 250)
    p = np.round(rng.uniform(0, 1, 250), 1)          # heavy ties, values on ECE bin edges
    cases.append(classification_case("tied_scores_on_bin_edges", y, p))
    y = rng.integers(0, 2, 120)
    p = rng.choice([0.0, 1.0, 0.5, 1e-20, 1 - 1e-17], 120)   # log-loss clipping, exact 0/1
    cases.append(classification_case("extreme_probabilities", y, p))
    y = np.ones(40, dtype=int)
    p = rng.uniform(0, 1, 40)
    cases.append(classification_case("single_class", y, p))
    y = np.array([0, 0, 1, 1])
    p = np.array([0.1, 0.4, 0.35, 0.8])
    cases.append(classification_case("sklearn_doc_example", y, p))
    y = rng.integers(0, 2, 200)
    p = np.full(200, 0.3)                               # everything predicted negative
    cases.append(classification_case("constant_score", y, p))
    return cases


def drift_case(name, ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    return {
        "name": name, "reference": ref.tolist(), "current": cur.tolist(),
        "ks": float(ks_2samp(ref, cur).statistic),
        "wasserstein": float(wasserstein_distance(ref, cur)),
        "psi": psi(ref, cur),
        "reference_std": float(np.std(ref)),
    }


def drift_cases():
    return [
        drift_case("normal_vs_shifted", rng.normal(0, 1, 400), rng.normal(0.4, 1.3, 300)),
        drift_case("same_distribution", rng.normal(5, 2, 300), rng.normal(5, 2, 300)),
        drift_case("integer_ties", rng.integers(0, 6, 350), rng.integers(1, 8, 250)),
        drift_case("disjoint_supports", rng.uniform(0, 1, 100), rng.uniform(3, 4, 80)),
        drift_case("constant_reference", np.full(50, 2.0), rng.normal(2, 0.1, 60)),
        drift_case("tiny_samples", [1.0, 2.0, 2.0], [2.0, 3.0]),
        drift_case("heavy_tail", rng.standard_t(2, 300), rng.standard_t(2, 300) * 1.5),
        # > 10,000 values: ks_2samp's auto method takes the asymptotic path (no lattice snap).
        drift_case("large_asymptotic_path", rng.integers(0, 997, 10_007), rng.integers(3, 1000, 301)),
    ]


def pnl_case(name, pnl, annualization=1.0):
    pnl = np.asarray(pnl, dtype=float)
    equity = np.cumsum(pnl)
    peak = np.maximum.accumulate(np.maximum(equity, 0.0))
    nonzero = int(np.count_nonzero(pnl))
    std = float(np.std(pnl, ddof=1)) if len(pnl) > 1 else 0.0
    return {
        "name": name, "pnl": pnl.tolist(), "annualization": annualization,
        "rolling_pnl": float(np.sum(pnl)),
        "hit_rate": (float(np.sum(pnl > 0)) / nonzero) if nonzero else None,
        "sharpe": (float(np.mean(pnl)) / std * math.sqrt(annualization)) if std > 0 else None,
        "max_drawdown": float(np.max(peak - equity)),
    }


def pnl_cases():
    return [
        pnl_case("random_walk", np.round(rng.normal(0.1, 1, 250), 2)),
        pnl_case("annualized", rng.normal(0.02, 0.5, 100), annualization=252.0),
        pnl_case("with_zeros_and_losses_first", [0.0, -1.0, -2.0, 0.0, 3.0, -0.5, 0.0, 4.0]),
    ]


def evaluation_case():
    n = 400
    y = rng.integers(0, 2, n)
    p = np.clip(0.5 + (y - 0.5) * 0.3 + rng.normal(0, 0.2, n), 0, 1)
    p[300:] = np.clip(p[300:] + 0.15, 0, 1)             # prediction drift after row 300
    f1 = rng.normal(0, 1, n)
    f1[300:] += 0.8
    f2 = rng.integers(0, 4, n).astype(float)
    f2[[10, 320]] = np.nan                              # left out of drift, counted
    ref = 300
    hard = (p >= 0.5).astype(int)
    metrics = {
        "quantum_agent_model_accuracy_ratio": float(accuracy_score(y, hard)),
        "quantum_agent_model_precision_ratio": float(precision_score(y, hard, zero_division=0)),
        "quantum_agent_model_recall_ratio": float(recall_score(y, hard, zero_division=0)),
        "quantum_agent_model_f1_ratio": float(f1_score(y, hard, zero_division=0)),
        "quantum_agent_model_log_loss_nats": float(log_loss(y, p, labels=[0, 1])),
        "quantum_agent_model_brier_score_ratio": float(brier_score_loss(y, p)),
        "quantum_agent_model_calibration_error_ratio": ece(y, p),
        "quantum_agent_model_roc_auc_ratio": float(roc_auc_score(y, p)),
        "quantum_agent_drift_label_shift_ratio": float(abs(y[ref:].mean() - y[:ref].mean())),
    }
    for name, col in (("prediction", p), ("momentum", f1), ("bucket", f2)):
        r = col[:ref][np.isfinite(col[:ref])]
        c = col[ref:][np.isfinite(col[ref:])]
        label = '{series="%s"}' % name
        metrics["quantum_agent_drift_psi_ratio" + label] = psi(r, c)
        metrics["quantum_agent_drift_ks_statistic_ratio" + label] = float(ks_2samp(r, c).statistic)
        metrics["quantum_agent_drift_wasserstein_distance" + label] = float(wasserstein_distance(r, c))
    return {
        "reference_rows": ref, "labels": y.astype(float).tolist(), "predictions": p.tolist(),
        "features": {"momentum": f1.tolist(), "bucket": [None if math.isnan(v) else v for v in f2]},
        "expected": metrics,
    }


def dump(name, payload):
    with open(name, "w") as f:
        json.dump({"generated_with": VERSIONS, **payload}, f, separators=(",", ":"))


if __name__ == "__main__":
    dump("classification.json", {"cases": classification_cases()})
    dump("drift.json", {"cases": drift_cases()})
    dump("pnl.json", {"cases": pnl_cases()})
    dump("evaluation.json", evaluation_case())
