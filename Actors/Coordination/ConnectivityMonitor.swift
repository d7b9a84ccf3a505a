// Fail-safe self-halt when Redis is unreachable for agent_timeout_ms.

/// What the shell must do when Redis connectivity changes.
public enum ConnectivityDirective: Sendable, Equatable {
    /// Redis unreachable for `agent_timeout_ms`: stop this agent's own trading, keep running
    /// locally within risk limits.
    case selfHalt
    /// Redis reachable again after a self-halt: re-read the persisted halt, reset the
    /// membership view, announce a heartbeat, then resume own trading unless cluster-halted.
    case rejoin
}

/// Tracks the last successful Redis operation and decides self-halt and rejoin, from
/// explicit `now` (monotonic ns).
public struct ConnectivityMonitor: Sendable {
    private let timeoutNs: UInt64
    private var lastSuccessNs: UInt64
    /// Whether this agent has halted itself.
    public private(set) var isSelfHalted = false
    /// Times this agent halted itself.
    public private(set) var selfHalts: UInt64 = 0

    /// - Parameter startNs: start time; the timeout counts from it until the first success.
    public init(configuration: CoordinationConfiguration, startNs: UInt64) {
        timeoutNs = UInt64(max(configuration.agentTimeoutMs, 1)) * 1_000_000
        lastSuccessNs = startNs
    }

    /// Time since the last success, ns.
    public func silenceNs(nowNs: UInt64) -> UInt64 { nowNs >= lastSuccessNs ? nowNs - lastSuccessNs : 0 }

    /// Any Redis command or read succeeded.
    public mutating func redisSucceeded(nowNs: UInt64) -> [ConnectivityDirective] {
        lastSuccessNs = max(lastSuccessNs, nowNs)
        guard isSelfHalted else { return [] }
        isSelfHalted = false
        return [.rejoin]
    }

    /// Advances time.
    public mutating func tick(nowNs: UInt64) -> [ConnectivityDirective] {
        guard !isSelfHalted, silenceNs(nowNs: nowNs) >= timeoutNs else { return [] }
        isSelfHalted = true
        selfHalts += 1
        return [.selfHalt]
    }
}
