// Two-sample Kolmogorov–Smirnov test for two samples of equal size n, two-sided,
// exact p-value as computed by SciPy's `stats.ks_2samp(method="auto")` for n ≤ 10,000
// (`_compute_prob_outside_square`, after Hodges, J. L. (1958), "The significance
// probability of the Smirnov two-sample test", Arkiv för Matematik 3, 469–486).

import Foundation

/// Exact two-sided two-sample KS test for equal sample sizes (SciPy semantics).
public enum KolmogorovSmirnov {
    /// KS statistic D (rounded to a multiple of 1/n, as SciPy's exact path) and p-value.
    ///
    /// `a` and `b` must both hold `n` values and be sorted ascending.
    public static func twoSampleSorted(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>
    ) -> (statistic: Double, pValue: Double) {
        let n = a.count
        let nd = Double(n)
        var i = 0, j = 0
        var minDiff = Double.infinity, maxDiff = -Double.infinity
        while i < n || j < n {
            let v: Double
            if i < n && j < n { v = min(a[i], b[j]) } else if i < n { v = a[i] } else { v = b[j] }
            while i < n && a[i] <= v { i += 1 }
            while j < n && b[j] <= v { j += 1 }
            let diff = Double(i) / nd - Double(j) / nd
            if diff < minDiff { minDiff = diff }
            if diff > maxDiff { maxDiff = diff }
        }
        let minS = Swift.min(Swift.max(-minDiff, 0), 1)
        let d = minS > maxDiff ? minS : maxDiff
        let h = Int((d * nd).rounded(.toNearestOrEven))
        let statistic = Double(h) * 1.0 / nd
        if h == 0 { return (statistic, 1.0) }
        let p = probabilityOutsideSquare(n: n, h: h)
        return (statistic, Swift.min(Swift.max(p, 0), 1))
    }

    /// Pr(D_{n,n} ≥ h/n): SciPy's `_compute_prob_outside_square(n, h)` (Horner form).
    public static func probabilityOutsideSquare(n: Int, h: Int) -> Double {
        var probability = 0.0
        var k = Int((Double(n) / Double(h)).rounded(.down))
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h {
                p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
            }
            probability = p1 * (1.0 - probability)
            k -= 1
        }
        return 2 * probability
    }
}
