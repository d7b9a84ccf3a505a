#!/usr/bin/env python3
"""Reference VaR/ES values for Tests/RiskTests (scipy/numpy are the reference).

Regenerate:  python3 Tests/RiskTests/Fixtures/make_var_fixture.py > Tests/RiskTests/Fixtures/var_reference.json
Definitions (positive numbers = losses, fractions of portfolio value):
  parametric VaR = -norm.ppf(1 - c, loc=mean, scale=std(ddof=1))
  parametric ES  = -mean + std * norm.pdf(norm.ppf(c)) / (1 - c)
  historical VaR = -numpy.percentile(r, 100 * (1 - c))   (linear interpolation)
  historical ES  = -mean(r[r <= numpy.percentile(r, 100 * (1 - c))])
"""
import json
import sys

import numpy as np
import scipy
from scipy.stats import norm

rng = np.random.default_rng(20240611)
# Fat-tailed daily returns: Student-t (4 dof) scaled to ~1.5% volatility, slight drift.
returns = 0.0004 + 0.015 * rng.standard_t(4, size=500) / np.sqrt(2.0)
returns = [float(x) for x in returns]
r = np.array(returns)
mean, sd = r.mean(), r.std(ddof=1)
cases = []
for c in (0.9, 0.95, 0.975, 0.99, 0.999):
    q = np.percentile(r, 100 * (1 - c))
    cases.append({
        "confidence": c,
        "parametric_var": float(-norm.ppf(1 - c, loc=mean, scale=sd)),
        "parametric_es": float(-mean + sd * norm.pdf(norm.ppf(c)) / (1 - c)),
        "historical_var": float(-q),
        "historical_es": float(-r[r <= q].mean()),
    })
ppf = {str(p): float(norm.ppf(p)) for p in (1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99, 0.999999)}
json.dump({"generator": f"scipy {scipy.__version__}, numpy {np.__version__}", "mean": float(mean), "std": float(sd),
           "returns": returns, "cases": cases, "norm_ppf": ppf}, sys.stdout, indent=1)
sys.stdout.write("\n")
