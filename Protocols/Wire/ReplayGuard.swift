// Replay and staleness guard for authenticated cluster messages.
// Sliding anti-replay window as in IPsec ESP (Kent, RFC 4303, 2005, §3.4.3), one per sender,
// combined with a timestamp acceptance window.

/// Drops replayed, stale and future-dated messages, per sender, and counts every drop.
///
/// A pure value type: no clock inside; pass `nowNs` (wall clock, ns since the Unix epoch).
/// Per sender it keeps the highest sequence accepted and a 64-bit bitmap of the 64
/// numbers below it, so messages that arrive out of order across channels (pub/sub and
/// streams) within that window are still accepted exactly once.
///
/// Senders whose newest message is older than the timestamp window are pruned: any
/// replay of theirs would be rejected as stale anyway, so pruning opens no hole.
public struct ReplayGuard: Sendable {
    /// Acceptance windows.
    public struct Configuration: Sendable, Equatable {
        /// Oldest accepted timestamp relative to now, ns (default 5 s = `agent_timeout_ms`).
        public var maxAgeNs: UInt64
        /// Furthest accepted timestamp ahead of now, ns (clock skew; default 1 s).
        public var maxFutureSkewNs: UInt64
        /// Largest number of senders tracked at once (default 1024).
        public var maxSenders: Int

        public init(maxAgeNs: UInt64 = 5_000_000_000, maxFutureSkewNs: UInt64 = 1_000_000_000, maxSenders: Int = 1024) {
            self.maxAgeNs = maxAgeNs
            self.maxFutureSkewNs = maxFutureSkewNs
            self.maxSenders = maxSenders
        }
    }

    /// Outcome of ``admit(sender:sequence:timestampNs:nowNs:)``.
    public enum Verdict: Sendable, Equatable {
        case accept
        case drop(DropReason)
    }

    struct Window: Sendable {
        var highest: UInt64
        var bitmap: UInt64
        var newestTimestampNs: UInt64
    }

    /// Width of the anti-replay window, in sequence numbers.
    public static let windowSize: UInt64 = 64

    public let configuration: Configuration
    /// Counters of accepted and dropped messages.
    public private(set) var counters = DropCounters()
    private var windows: [String: Window] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Number of senders currently tracked.
    public var trackedSenders: Int { windows.count }

    /// Admits or drops an authenticated message, updating the counters.
    public mutating func admit(_ message: WireMessage, nowNs: UInt64) -> Verdict {
        admit(sender: message.sender, sequence: message.sequence, timestampNs: message.timestampNs, nowNs: nowNs)
    }

    /// Admits or drops a message given its authenticated header fields.
    public mutating func admit(sender: String, sequence: UInt64, timestampNs: UInt64, nowNs: UInt64) -> Verdict {
        let verdict = check(sender: sender, sequence: sequence, timestampNs: timestampNs, nowNs: nowNs)
        switch verdict {
        case .accept: counters.accepted += 1
        case let .drop(reason): counters[reason] += 1
        }
        return verdict
    }

    /// Counts a message that failed to decode: a bad tag as `forged`, anything else as
    /// `malformed`. Returns the reason counted.
    @discardableResult
    public mutating func recordDecodeFailure(_ error: WireError) -> DropReason {
        let reason: DropReason = error == .badTag ? .forged : .malformed
        counters[reason] += 1
        return reason
    }

    /// Forgets senders whose newest accepted timestamp is older than the window.
    public mutating func prune(nowNs: UInt64) {
        let oldest = nowNs >= configuration.maxAgeNs ? nowNs - configuration.maxAgeNs : 0
        windows = windows.filter { $0.value.newestTimestampNs >= oldest }
    }

    private mutating func check(sender: String, sequence: UInt64, timestampNs: UInt64, nowNs: UInt64) -> Verdict {
        if timestampNs < nowNs, nowNs - timestampNs > configuration.maxAgeNs { return .drop(.stale) }
        if timestampNs > nowNs, timestampNs - nowNs > configuration.maxFutureSkewNs { return .drop(.future) }
        guard var window = windows[sender] else {
            if windows.count >= configuration.maxSenders {
                prune(nowNs: nowNs)
                if windows.count >= configuration.maxSenders { return .drop(.tooManySenders) }
            }
            windows[sender] = Window(highest: sequence, bitmap: 1, newestTimestampNs: timestampNs)
            return .accept
        }
        if sequence > window.highest {
            let shift = sequence - window.highest
            window.bitmap = shift >= Self.windowSize ? 1 : (window.bitmap << shift) | 1
            window.highest = sequence
        } else {
            let offset = window.highest - sequence
            guard offset < Self.windowSize else { return .drop(.replayed) }
            let bit: UInt64 = 1 << offset
            guard window.bitmap & bit == 0 else { return .drop(.replayed) }
            window.bitmap |= bit
        }
        window.newestTimestampNs = max(window.newestTimestampNs, timestampNs)
        windows[sender] = window
        return .accept
    }
}
