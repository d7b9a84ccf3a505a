// One-dimensional k-means: greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with
// scikit-learn's 2 + ln k local trials) and Lloyd (1982) iterations, best inertia of `restarts`.
// Used to initialise the HMM and mixture means the way hmmlearn and scikit-learn do.

import Foundation

/// Plain 1-D k-means used for initialisation and by the realised-volatility clustering detector.
public struct KMeans1D: Sendable {
    /// Cluster centres, ascending.
    public private(set) var centers: [Double]
    /// Sum of squared distances to the closest centre.
    public private(set) var inertia: Double

    /// Clusters `x` into `k` groups (`x.count >= k >= 1`); `restarts` seedings, best inertia kept.
    public init(_ x: [Double], k: Int, restarts: Int = 10, maxIterations: Int = 300,
                random: inout RegimeRandom) {
        var bestCenters = [Double](repeating: x.first ?? 0, count: max(k, 1))
        var bestInertia = Double.infinity
        for _ in 0..<max(restarts, 1) {
            var c = Self.seed(x, k: k, random: &random)
            let inertia = Self.lloyd(x, centers: &c, maxIterations: maxIterations)
            if inertia < bestInertia { bestInertia = inertia; bestCenters = c }
        }
        centers = bestCenters.sorted()
        inertia = bestInertia
    }

    /// Index of the nearest centre.
    public func assign(_ v: Double) -> Int { Self.nearest(v, centers) }

    static func nearest(_ v: Double, _ c: [Double]) -> Int {
        var best = 0
        var bd = Double.infinity
        for (j, cj) in c.enumerated() {
            let d = (v - cj) * (v - cj)
            if d < bd { bd = d; best = j }
        }
        return best
    }

    /// Greedy k-means++: each new centre is the best of `2 + ln k` candidates drawn with
    /// probability proportional to the squared distance to the closest chosen centre.
    static func seed(_ x: [Double], k: Int, random: inout RegimeRandom) -> [Double] {
        let n = x.count
        var centers = [x[random.index(below: n)]]
        var closest = x.map { ($0 - centers[0]) * ($0 - centers[0]) }
        let trials = 2 + Int(log(Double(k)))
        while centers.count < k {
            let total = closest.reduce(0, +)
            var bestCandidate = x[random.index(below: n)]
            var bestPot = Double.infinity
            for _ in 0..<trials {
                var candidate = x[random.index(below: n)]
                if total > 0 {
                    let r = random.uniform() * total
                    var acc = 0.0
                    for i in 0..<n {
                        acc += closest[i]
                        if acc > r { candidate = x[i]; break }
                    }
                }
                var pot = 0.0
                for i in 0..<n { pot += min(closest[i], (x[i] - candidate) * (x[i] - candidate)) }
                if pot < bestPot { bestPot = pot; bestCandidate = candidate }
            }
            centers.append(bestCandidate)
            for i in 0..<n { closest[i] = min(closest[i], (x[i] - bestCandidate) * (x[i] - bestCandidate)) }
        }
        return centers
    }

    /// Lloyd iterations until assignments stop changing; returns the inertia.
    static func lloyd(_ x: [Double], centers: inout [Double], maxIterations: Int) -> Double {
        let k = centers.count
        var labels = [Int](repeating: -1, count: x.count)
        for _ in 0..<maxIterations {
            var changed = false
            var sums = [Double](repeating: 0, count: k)
            var counts = [Int](repeating: 0, count: k)
            for (i, v) in x.enumerated() {
                let j = nearest(v, centers)
                if j != labels[i] { labels[i] = j; changed = true }
                sums[j] += v; counts[j] += 1
            }
            for j in 0..<k where counts[j] > 0 { centers[j] = sums[j] / Double(counts[j]) }
            if !changed { break }
        }
        var inertia = 0.0
        for v in x { let c = centers[nearest(v, centers)]; inertia += (v - c) * (v - c) }
        return inertia
    }
}
