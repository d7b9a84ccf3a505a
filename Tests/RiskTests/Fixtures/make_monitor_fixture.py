#!/usr/bin/env python3
"""Reference RiskMonitor report for Tests/RiskTests/RiskMonitorTests.swift (numpy/scipy are the reference).

Regenerate:
  python3 Tests/RiskTests/Fixtures/make_monitor_fixture.py > Tests/RiskTests/Fixtures/risk_monitor_reference.json

Inputs: a 7-symbol book (quantities, marks, asset classes), an equity path of 300 periods
(the monitor records each equity and keeps the last `window` simple returns), limits.
Expected outputs, computed here from the definitions, not from the Swift code:
  parametric VaR = -norm.ppf(1 - c, loc=mean, scale=std(ddof=1));  ES = -mean + std * norm.pdf(norm.ppf(c)) / (1 - c)
  historical VaR = -numpy.percentile(r, 100 (1 - c)) (linear);    ES = -mean(r[r <= q])
  Monte Carlo    = the historical estimator on mean + std * z, z = `paths` standard normal draws of
                   SplitMix64 (Steele, Lea & Flood 2014) + Box-Muller, re-implemented below with
                   the seed of the test, so the whole Monte Carlo path is checked, not only its limit.
  stress PnL     = sum quantity * price * shock(asset class), shocks as documented in README (risk).
  breaches       = VaR (largest over methods) > var_limit, worst stress loss / equity > stress_loss_limit,
                   drawdown >= max_drawdown, gross notional > max_notional, |position| > max_position.
  scale          = min over breaches of limit / observed (0 on a drawdown breach), clipped to [0, 1].
"""
import json
import math
import sys

import numpy as np
import scipy
from scipy.stats import norm

MASK = (1 << 64) - 1

SHOCKS = {  # README, risk section: price move by asset class, fraction
    "gfc_2008": {"equity": -0.40, "crypto": -0.60, "fx": -0.12, "commodity": -0.51, "rates": 0.06},
    "covid_2020": {"equity": -0.34, "crypto": -0.50, "fx": -0.02, "commodity": -0.56, "rates": 0.05},
    "crypto_exchange_ban": {"equity": -0.01, "crypto": -0.45},
}


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit(self):  # uniform in (0, 1), never 0
        return ((self.next() >> 11) + 0.5) * 2.0 ** -53

    def normal(self):  # Box-Muller, first variate
        u1 = self.unit()
        u2 = self.unit()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def empirical(sample, c):
    q = np.percentile(sample, 100 * (1 - c))
    return float(-q), float(-sample[sample <= q].mean())


symbols = ["BTC-USD", "ETHUSDT", "SPY", "EURUSD", "WTI", "UST", "SYN-A"]
classes = ["crypto", "crypto", "equity", "fx", "commodity", "rates", "crypto"]  # SYN-A: configured, not inferred
quantities = [1.5, -20.0, 300.0, 50_000.0, -400.0, 200.0, 0.0]
prices = [61_250.0, 3_050.0, 512.25, 1.0842, 78.4, 96.5, 0.0]  # SYN-A is flat and has no mark yet
initial_equity = 1_000_000.0
window = 250
confidence = 0.975
paths = 20_000
seed = 7
limits = {"max_position": 1_000_000.0, "max_order_size": 10.0, "max_notional": 250_000.0, "max_drawdown": 0.2,
          "var_limit": 0.02, "stress_loss_limit": 0.05}
max_position_by_symbol = [1.0, 100.0]  # BTC-USD limit 1 (breached by 1.5), ETHUSDT limit 100

rng = np.random.default_rng(20261121)
# Daily portfolio returns: normal with a few jumps, ~1.2% volatility.
period_returns = 0.0012 + 0.012 * rng.standard_normal(300)
period_returns[rng.integers(0, 300, size=6)] -= 0.03
equities = [initial_equity]
for r in period_returns:
    equities.append(float(equities[-1] * (1.0 + r)))
equities = equities[1:]  # what the test records, one per period

# What the monitor holds: returns from consecutive recorded equities (same IEEE operations).
previous = initial_equity
returns = []
for e in equities:
    returns.append(e / previous - 1.0)
    previous = e
r = np.array(returns[-window:])
equity = equities[-1]
peak = max([initial_equity] + equities)
mean, sd = float(r.mean()), float(r.std(ddof=1))

var = {}
z = norm.ppf(1 - confidence)
var["parametric"] = (float(-norm.ppf(1 - confidence, loc=mean, scale=sd)),
                     float(-mean + sd * norm.pdf(norm.ppf(confidence)) / (1 - confidence)))
var["historical"] = empirical(r, confidence)
gen = SplitMix64(seed)
simulated = np.array([mean + sd * gen.normal() for _ in range(paths)])
var["monte_carlo"] = empirical(simulated, confidence)

stress = []
for name, shocks in SHOCKS.items():
    by_symbol = {}
    total = 0.0
    for s, c, q, p in zip(symbols, classes, quantities, prices):
        if q == 0:
            continue
        pnl = q * p * shocks.get(c, 0.0)
        by_symbol[s] = pnl
        total += pnl
    stress.append({"scenario": name, "pnl": total, "loss_fraction": max(0.0, -total / equity), "by_symbol": by_symbol})

gross = float(sum(abs(q * p) for q, p in zip(quantities, prices)))
drawdown = max(0.0, (peak - equity) / peak)
worst_var = max(v[0] for v in var.values())
worst_stress = max(s["loss_fraction"] for s in stress)
position_breaches = []
for i, (s, q) in enumerate(zip(symbols, quantities)):
    limit = max_position_by_symbol[i] if i < len(max_position_by_symbol) else limits["max_position"]
    if q != 0 and abs(q) > limit:
        position_breaches.append(s)
breaches = {"value_at_risk": worst_var > limits["var_limit"], "stress": worst_stress > limits["stress_loss_limit"],
            "drawdown": drawdown >= limits["max_drawdown"], "notional": gross > limits["max_notional"],
            "positions": position_breaches}
scale = 1.0
if breaches["value_at_risk"]:
    scale = min(scale, limits["var_limit"] / worst_var)
if breaches["stress"]:
    scale = min(scale, limits["stress_loss_limit"] / worst_stress)
if breaches["notional"]:
    scale = min(scale, limits["max_notional"] / gross)
if breaches["drawdown"]:
    scale = 0.0

json.dump({
    "generator": f"scipy {scipy.__version__}, numpy {np.__version__}",
    "inputs": {"symbols": symbols, "asset_classes": classes, "quantities": quantities, "prices": prices,
               "initial_equity": initial_equity, "equities": equities, "window": window, "confidence": confidence,
               "paths": paths, "seed": seed, "limits": limits, "max_position_by_symbol": max_position_by_symbol},
    "expected": {"equity": equity, "peak_equity": peak, "drawdown": drawdown, "gross_notional": gross,
                 "window_count": int(len(r)), "mean": mean, "std": sd,
                 "var": {k: {"var": v[0], "es": v[1]} for k, v in var.items()},
                 "stress": stress, "breaches": breaches, "suggested_risk_scale": scale},
}, sys.stdout, indent=1)
sys.stdout.write("\n")
