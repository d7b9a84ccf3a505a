"""Reference fixtures for the Regime module (run: python3 make_fixtures.py).

Needs hmmlearn 0.3.x, arch 8.x, scikit-learn 1.x, numpy, pandas. Writes:
  synthetic.csv            3-state Markov-switching returns with the true states
  synthetic_reference.json true parameters, Viterbi accuracy with them, sklearn GMM fit
  synthetic_seed7.csv, synthetic_seed7_reference.json  the same process drawn with another seed
  sp500_returns.csv        S&P 500 daily returns in percent (arch.data.sp500), 1999-2018
  sp500_reference.json     hmmlearn 2-state fit (best of seeds) + decoded path; arch GARCH(1,1) fits
  hmm_em_reference.json    a few hmmlearn EM iterations from fixed initial parameters (exact semantics)

Fresh validation series (not committed), e.g. with a random sticky transition matrix:
  python3 make_fixtures.py --synthetic-only fresh_101 --seed 101 --transmat random
"""
import json
import numpy as np
import pandas as pd
from hmmlearn.hmm import GaussianHMM
from sklearn.mixture import GaussianMixture
from arch import arch_model
from arch.data import sp500


def g8(v):
    return float(f"{v:.8g}")


def sort_hmm(m):
    order = np.argsort(m.covars_.ravel(), kind="stable")
    return {
        "startprob": [g8(v) for v in m.startprob_[order]],
        "transmat": [g8(v) for v in m.transmat_[np.ix_(order, order)].ravel()],
        "means": [g8(v) for v in m.means_.ravel()[order]],
        "covars": [g8(v) for v in m.covars_.ravel()[order]],
    }, order


def best_hmm(x, k, seeds, n_iter=1000, tol=1e-4):
    best, best_score = None, -np.inf
    for s in seeds:
        m = GaussianHMM(n_components=k, covariance_type="diag", n_iter=n_iter, tol=tol, random_state=s)
        m.fit(x)
        sc = m.score(x)
        if sc > best_score:
            best, best_score = m, sc
    return best, best_score


DEFAULT_TRANSMAT = np.array([[0.990, 0.008, 0.002],
                             [0.010, 0.980, 0.010],
                             [0.004, 0.016, 0.980]])


def random_transmat(rng, k=3, stay=(0.95, 0.995)):
    """A random sticky transition matrix: each diagonal entry uniform in `stay`, the rest of the
    row split by a flat Dirichlet (expected regime durations 20 to 200 returns)."""
    t = np.empty((k, k))
    for i in range(k):
        d = rng.uniform(*stay)
        off = rng.dirichlet(np.ones(k - 1)) * (1 - d)
        t[i] = np.insert(off, i, d)
    return t


def synthetic(seed=20240604, name="synthetic", trans=DEFAULT_TRANSMAT):
    """Writes NAME.csv and NAME_reference.json: the series drawn with `seed` and `trans`."""
    rng = np.random.default_rng(seed)
    n = 3000
    means = np.array([0.05, 0.0, -0.15])
    sds = np.array([0.5, 1.2, 3.0])
    trans = np.asarray(trans, dtype=float)
    start = np.array([1.0, 0.0, 0.0])
    states = np.empty(n, dtype=int)
    s = 0
    for t in range(n):
        states[t] = s
        s = rng.choice(3, p=trans[s])
    r = rng.normal(means[states], sds[states])
    r = np.array([g8(v) for v in r])
    pd.DataFrame({"return": r, "true_state": states}).to_csv(f"{name}.csv", index=False, float_format="%.8g")
    x = r.reshape(-1, 1)
    true = GaussianHMM(n_components=3, covariance_type="diag", init_params="", params="")
    true.startprob_, true.transmat_, true.means_ = start, trans, means.reshape(-1, 1)
    true.covars_ = (sds ** 2).reshape(-1, 1)
    _, path = true.decode(x, algorithm="viterbi")
    true_acc = float(np.mean(path == states))
    fit, score = best_hmm(x, 3, seeds=range(5))
    params, order = sort_hmm(fit)
    rank = np.empty(3, dtype=int)
    rank[order] = np.arange(3)
    fit_path = rank[fit.predict(x)]
    gmm = GaussianMixture(n_components=3, random_state=0).fit(x)
    go = np.argsort(gmm.covariances_.ravel(), kind="stable")
    tight = GaussianMixture(n_components=3, tol=1e-10, max_iter=10000, random_state=0).fit(x)
    to = np.argsort(tight.covariances_.ravel(), kind="stable")
    ref = {
        "true": {"startprob": start.tolist(), "transmat": trans.ravel().tolist(), "means": means.tolist(), "covars": (sds ** 2).tolist()},
        "true_viterbi_accuracy": true_acc,
        "hmmlearn_fit": params, "hmmlearn_score": score,
        "hmmlearn_fit_accuracy": float(np.mean(fit_path == states)),
        "gmm": {"weights": [g8(v) for v in gmm.weights_[go]], "means": [g8(v) for v in gmm.means_.ravel()[go]],
                "variances": [g8(v) for v in gmm.covariances_.ravel()[go]], "lower_bound": float(gmm.lower_bound_)},
        "gmm_tight": {"weights": [g8(v) for v in tight.weights_[to]], "means": [g8(v) for v in tight.means_.ravel()[to]],
                      "variances": [g8(v) for v in tight.covariances_.ravel()[to]], "lower_bound": float(tight.lower_bound_)},
    }
    json.dump(ref, open(f"{name}_reference.json", "w"), indent=1)
    print(f"{name} (seed {seed}): true-parameter Viterbi accuracy", true_acc, "hmmlearn fit accuracy", ref["hmmlearn_fit_accuracy"])
    return x


def em_reference(x):
    """Five EM iterations of hmmlearn from fixed initial parameters (no random init)."""
    x = x[:600]
    init = {"startprob": [0.5, 0.3, 0.2], "transmat": [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.3, 0.6],
            "means": [-0.5, 0.0, 0.5], "covars": [0.5, 1.0, 2.0]}
    m = GaussianHMM(n_components=3, covariance_type="diag", n_iter=5, tol=0, init_params="")
    m.startprob_ = np.array(init["startprob"])
    m.transmat_ = np.array(init["transmat"]).reshape(3, 3)
    m.means_ = np.array(init["means"]).reshape(-1, 1)
    m.covars_ = np.array(init["covars"]).reshape(-1, 1)
    m.fit(x)
    out = {"n": len(x), "iterations": 5, "initial": init,
           "after": {"startprob": m.startprob_.tolist(), "transmat": m.transmat_.ravel().tolist(),
                     "means": m.means_.ravel().tolist(), "covars": m.covars_.ravel().tolist()},
           "history": list(m.monitor_.history), "score": float(m.score(x))}
    json.dump(out, open("hmm_em_reference.json", "w"), indent=1)


def sp():
    prices = sp500.load()["Adj Close"]
    r = 100 * prices.pct_change().dropna()
    r = r[(r.index >= "1999-01-01") & (r.index <= "2018-12-31")]
    r = r.apply(g8)
    pd.DataFrame({"date": r.index.strftime("%Y-%m-%d"), "return": r.values}).to_csv(
        "sp500_returns.csv", index=False, float_format="%.8g")
    y = r.values
    x = y.reshape(-1, 1)
    fit, score = best_hmm(x, 2, seeds=range(5))
    params, order = sort_hmm(fit)
    rank = np.empty(2, dtype=int)
    rank[order] = np.arange(2)
    path = rank[fit.predict(x)]
    garch = {}
    for mean in ("Constant", "Zero"):
        res = arch_model(y, mean=mean, vol="GARCH", p=1, q=1, dist="normal").fit(disp="off")
        garch[mean] = {k: float(v) for k, v in res.params.items()}
        garch[mean]["loglikelihood"] = float(res.loglikelihood)
    ref = {"hmm2": params, "hmm2_score": score, "hmm2_path": "".join(map(str, path)),
           "hmm2_settings": {"n_iter": 1000, "tol": 1e-4, "seeds": [0, 1, 2, 3, 4]},
           "garch": garch}
    json.dump(ref, open("sp500_reference.json", "w"), indent=1)
    print("sp500:", len(y), "returns; hmm2", params, "garch", garch)


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic-only", metavar="NAME", help="write only NAME.csv and NAME_reference.json "
                    "(a fresh validation series; not committed) instead of every fixture")
    ap.add_argument("--seed", type=int, default=20240604, help="numpy seed of --synthetic-only")
    ap.add_argument("--transmat", default="default", help="'default' (the fixtures' matrix), 'random' "
                    "(drawn by random_transmat from seed + 1) or 9 comma-separated row-major values")
    a = ap.parse_args()
    if a.synthetic_only:
        if a.transmat == "default":
            t = DEFAULT_TRANSMAT
        elif a.transmat == "random":
            t = random_transmat(np.random.default_rng(a.seed + 1))
        else:
            t = np.array([float(v) for v in a.transmat.split(",")]).reshape(3, 3)
        print("transmat", np.round(t, 4).tolist())
        synthetic(seed=a.seed, name=a.synthetic_only, trans=t)
        raise SystemExit(0)
    xs = synthetic()
    # A second, independently seeded draw of the same process: a check that results on the first
    # are not tuned to it.
    synthetic(seed=7, name="synthetic_seed7")
    em_reference(xs)
    sp()
