// The lock-free "may this agent send orders?" flag the pipeline reads on the hot path.

import Synchronization

/// Whether this agent may send orders, readable from any thread without awaiting.
///
/// Two independent reasons close the gate: a cluster emergency halt (lifted only by an
/// operator) and a self-halt (Redis unreachable for `agent_timeout_ms`, lifted on rejoin).
/// The Coordination actor is the only writer; readers do one atomic load.
public final class TradingGate: Sendable {
    private static let clusterHaltBit: UInt8 = 1
    private static let selfHaltBit: UInt8 = 2

    private let state = Atomic<UInt8>(0)
    private let closedAt = Atomic<UInt64>(0)
    private let token = Atomic<UInt64>(0)

    public init() {}

    /// `true` unless cluster-halted or self-halted (one acquiring load).
    @inlinable
    public var isTradingAllowed: Bool { rawState == 0 }

    @usableFromInline
    var rawState: UInt8 { state.load(ordering: .acquiring) }

    /// Whether a cluster emergency halt is in force.
    public var isClusterHalted: Bool { rawState & Self.clusterHaltBit != 0 }

    /// Whether this agent halted itself (cut off from Redis).
    public var isSelfHalted: Bool { rawState & Self.selfHaltBit != 0 }

    /// Monotonic time (ns) at which the gate last closed, 0 if never.
    public var lastClosedNs: UInt64 { closedAt.load(ordering: .acquiring) }

    /// Fencing token of the newest decision applied by this agent (0 before any). Whoever
    /// acts on a decision compares its token with this one.
    public var currentFencingToken: UInt64 { token.load(ordering: .acquiring) }

    func setClusterHalted(_ halted: Bool, nowNs: UInt64) { set(Self.clusterHaltBit, halted, nowNs: nowNs) }

    func setSelfHalted(_ halted: Bool, nowNs: UInt64) { set(Self.selfHaltBit, halted, nowNs: nowNs) }

    func setFencingToken(_ value: UInt64) { token.store(value, ordering: .releasing) }

    private func set(_ bit: UInt8, _ on: Bool, nowNs: UInt64) {
        if on {
            let old = state.bitwiseOr(bit, ordering: .acquiringAndReleasing).oldValue
            if old == 0 { closedAt.store(nowNs, ordering: .releasing) }
        } else {
            state.bitwiseAnd(~bit, ordering: .acquiringAndReleasing)
        }
    }
}
