// Exponential reconnect backoff with bounded, deterministic jitter.

/// Delays between reconnect attempts: `initial × multiplier^n`, capped at `maximum`,
/// each reduced by up to `jitter` (a fraction) from a seeded generator. Pure: no clock.
public struct ReconnectBackoff: Sendable, Equatable {
    /// First delay, ns (default 50 ms).
    public let initialNs: UInt64
    /// Largest delay, ns (default 2 s).
    public let maximumNs: UInt64
    /// Growth factor per failed attempt (default 2).
    public let multiplier: Double
    /// Fraction of each delay removed at random, 0...1 (default 0.2).
    public let jitter: Double
    /// Failed attempts since the last success.
    public private(set) var attempts: Int = 0
    private var state: UInt64

    public init(initialNs: UInt64 = 50_000_000, maximumNs: UInt64 = 2_000_000_000, multiplier: Double = 2, jitter: Double = 0.2, seed: UInt64 = 0x9E37_79B9) {
        self.initialNs = max(1, initialNs)
        self.maximumNs = max(self.initialNs, maximumNs)
        self.multiplier = max(1, multiplier)
        self.jitter = min(max(jitter, 0), 1)
        self.state = seed
    }

    /// The delay before the next attempt, ns; counts one failed attempt.
    public mutating func nextDelayNs() -> UInt64 {
        let raw = Double(initialNs) * pow(multiplier, Double(min(attempts, 62)))
        let capped = min(raw, Double(maximumNs))
        attempts += 1
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        let unit = Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        return UInt64(capped * (1 - jitter * unit))
    }

    /// Call after a successful connect.
    public mutating func reset() { attempts = 0 }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
