// Two-sample drift statistics on sorted samples.
//
// References:
// - Kolmogorov–Smirnov two-sample statistic (Smirnov, 1939); the value equals
//   scipy.stats.ks_2samp(...).statistic (scipy 1.17, `_stats_py.py`): the largest
//   |F1(x) − F2(x)| over the pooled sample, with right-continuous empirical CDFs.
// - Wasserstein-1 distance between empirical distributions (Vallender, 1974; scipy's
//   `_cdf_distance` with p = 1): ∫ |U(x) − V(x)| dx over the pooled sorted sample.
// - Population stability index (Yurdakul, 2018, "Statistical properties of population
//   stability index"): Σ_b (c_b − r_b) · ln(c_b / r_b) over bins fixed on the reference.

import Foundation

/// Pure functions computing drift statistics from **sorted** finite samples.
/// None allocates; all are O(n + m). Callers sort (see `DriftWindow`).
public enum DriftMath {
    /// Default number of PSI bins (reference deciles).
    public static let defaultPSIBins = 10
    /// Default floor applied to each bin proportion before the PSI logarithm.
    public static let defaultPSIEpsilon = 1e-4

    /// Two-sample KS statistic of two sorted samples; 0 when either is empty.
    ///
    /// At every distinct pooled value `a`, `F1(a) = #{x1 ≤ a}/n1` and `F2(a) = #{x2 ≤ a}/n2`
    /// are computed with the same integer-over-integer divisions as scipy; when both sizes
    /// are ≤ 10,000 the value is then snapped to `round(d · lcm) / lcm` as scipy's exact path
    /// does, so the result is bit-identical to `ks_2samp(data1, data2).statistic`.
    public static func ksStatistic(sorted a: UnsafeBufferPointer<Double>, sorted b: UnsafeBufferPointer<Double>) -> Double {
        let n1 = a.count, n2 = b.count
        guard n1 > 0, n2 > 0 else { return 0 }
        let d1 = Double(n1), d2 = Double(n2)
        var i = 0, j = 0
        var maxDiff = -Double.infinity, minDiff = Double.infinity
        while i < n1 || j < n2 {
            let value: Double
            if j >= n2 || (i < n1 && a[i] <= b[j]) { value = a[i] } else { value = b[j] }
            while i < n1 && a[i] <= value { i += 1 }
            while j < n2 && b[j] <= value { j += 1 }
            let diff = Double(i) / d1 - Double(j) / d2
            if diff > maxDiff { maxDiff = diff }
            if diff < minDiff { minDiff = diff }
        }
        let minS = min(max(-minDiff, 0), 1)
        let d = minS > maxDiff ? minS : maxDiff
        // scipy's method="auto" is "exact" when max(n1, n2) ≤ 10,000, and the exact path
        // snaps d to the lattice h / lcm(n1, n2) (`_attempt_exact_2kssamp`); do the same.
        guard max(n1, n2) <= exactKSMaximumSize else { return d }
        let lcm = Double((n1 / gcd(n1, n2)) * n2)
        return (d * lcm).rounded(.toNearestOrEven) * 1.0 / lcm
    }

    /// Largest sample size for which scipy's `ks_2samp(method="auto")` uses the exact path.
    public static let exactKSMaximumSize = 10_000

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// Wasserstein-1 distance of two sorted samples (equal weights); 0 when either is empty.
    ///
    /// Sums `|U(a) − V(a)| · (next − a)` over consecutive distinct pooled values, exactly the
    /// non-zero terms of scipy's `wasserstein_distance` (ties contribute zero-width terms).
    public static func wasserstein1(sorted u: UnsafeBufferPointer<Double>, sorted v: UnsafeBufferPointer<Double>) -> Double {
        let nu = u.count, nv = v.count
        guard nu > 0, nv > 0 else { return 0 }
        let du = Double(nu), dv = Double(nv)
        var i = 0, j = 0
        var total = 0.0
        var value = min(u[0], v[0])
        while true {
            while i < nu && u[i] <= value { i += 1 }
            while j < nv && v[j] <= value { j += 1 }
            let next: Double
            if i < nu && j < nv { next = min(u[i], v[j]) } else if i < nu { next = u[i] } else if j < nv { next = v[j] } else { break }
            total += abs(Double(i) / du - Double(j) / dv) * (next - value)
            value = next
        }
        return total
    }

    /// Number of distinct PSI bin edges written into `edges` (capacity ≥ bins − 1).
    ///
    /// Edges are the reference order statistics `ref[⌊k·n/B⌋]` for k = 1 … B−1, with
    /// duplicates removed; bin b holds values x with `edge[b−1] ≤ x < edge[b]`
    /// (numpy: `np.searchsorted(edges, x, side="right")`). No interpolation, so the
    /// edges are exact sample values.
    public static func psiEdges(sortedReference ref: UnsafeBufferPointer<Double>, bins: Int,
                                into edges: UnsafeMutableBufferPointer<Double>) -> Int {
        let n = ref.count
        guard n > 0, bins > 1 else { return 0 }
        var count = 0
        for k in 1..<bins where count < edges.count {
            let edge = ref[(k * n) / bins]
            if count == 0 || edges[count - 1] < edge {
                edges[count] = edge
                count += 1
            }
        }
        return count
    }

    /// PSI of `current` against `reference`, both sorted, on the given sorted distinct edges.
    ///
    /// `PSI = Σ_b (c_b − r_b) · ln(c_b / r_b)` where `r_b`, `c_b` are the bin proportions,
    /// each floored at `epsilon` so that empty bins stay finite. 0 when either sample is empty.
    public static func psi(edges: UnsafeBufferPointer<Double>, sortedReference ref: UnsafeBufferPointer<Double>,
                           sortedCurrent cur: UnsafeBufferPointer<Double>, epsilon: Double = defaultPSIEpsilon) -> Double {
        guard ref.count > 0, cur.count > 0 else { return 0 }
        let nr = Double(ref.count), nc = Double(cur.count)
        var i = 0, j = 0
        var total = 0.0
        for b in 0...edges.count {
            let startI = i, startJ = j
            if b < edges.count {
                let edge = edges[b]
                while i < ref.count && ref[i] < edge { i += 1 }
                while j < cur.count && cur[j] < edge { j += 1 }
            } else {
                i = ref.count
                j = cur.count
            }
            let r = max(Double(i - startI) / nr, epsilon)
            let c = max(Double(j - startJ) / nc, epsilon)
            total += (c - r) * log(c / r)
        }
        return total
    }

    /// Population (ddof = 0) standard deviation of a buffer; 0 when empty.
    public static func populationStandardDeviation(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard !x.isEmpty else { return 0 }
        var sum = 0.0
        for value in x { sum += value }
        let mean = sum / Double(x.count)
        var squares = 0.0
        for value in x { squares += (value - mean) * (value - mean) }
        return (squares / Double(x.count)).squareRoot()
    }

    /// All drift statistics of two unsorted samples; non-finite values are ignored.
    /// Allocates (sorts copies): for batch evaluation, not the hot path.
    public static func statistics(reference: [Double], current: [Double], psiBins: Int = defaultPSIBins,
                                  psiEpsilon: Double = defaultPSIEpsilon) -> DriftStatistics {
        let ref = reference.filter(\.isFinite).sorted()
        let cur = current.filter(\.isFinite).sorted()
        var edges = [Double](repeating: 0, count: max(psiBins - 1, 0))
        return ref.withUnsafeBufferPointer { r in
            cur.withUnsafeBufferPointer { c in
                edges.withUnsafeMutableBufferPointer { e in
                    let edgeCount = psiEdges(sortedReference: r, bins: psiBins, into: e)
                    return statistics(sortedReference: r, sortedCurrent: c,
                                      edges: UnsafeBufferPointer(rebasing: e[0..<edgeCount]),
                                      referenceStandardDeviation: populationStandardDeviation(r),
                                      psiEpsilon: psiEpsilon)
                }
            }
        }
    }

    /// All drift statistics from sorted samples and precomputed PSI edges (no allocation).
    public static func statistics(sortedReference r: UnsafeBufferPointer<Double>, sortedCurrent c: UnsafeBufferPointer<Double>,
                                  edges: UnsafeBufferPointer<Double>, referenceStandardDeviation sigma: Double,
                                  psiEpsilon: Double) -> DriftStatistics {
        let w = wasserstein1(sorted: r, sorted: c)
        return DriftStatistics(psi: psi(edges: edges, sortedReference: r, sortedCurrent: c, epsilon: psiEpsilon),
                               ksStatistic: ksStatistic(sorted: r, sorted: c),
                               wasserstein: w,
                               normalizedWasserstein: sigma > 0 ? w / sigma : w,
                               referenceCount: r.count, currentCount: c.count)
    }
}
