// Heartbeat payload.

/// Liveness beacon of an agent, published every `heartbeat_interval` (ms).
public struct Heartbeat: Sendable, Equatable, Codable, WirePayloadCoding {
    /// The trading state an agent reports about itself.
    public enum TradingState: UInt8, Sendable, Codable {
        /// Trading normally.
        case trading = 0
        /// Halted by itself (Redis unreachable for `agent_timeout_ms`).
        case selfHalted = 1
        /// Halted by a cluster emergency halt.
        case clusterHalted = 2
    }

    static let wireType = WireMessageType.heartbeat

    /// Process incarnation (e.g. start time in ns): changes when the agent restarts.
    public var incarnation: UInt64
    /// Trading state of the sender.
    public var state: TradingState

    public init(incarnation: UInt64, state: TradingState) {
        self.incarnation = incarnation
        self.state = state
    }

    func encode(into writer: inout ByteWriter) throws(WireError) {
        writer.u64(incarnation)
        writer.u8(state.rawValue)
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        incarnation = try reader.u64("incarnation")
        let raw = try reader.u8("state")
        guard let state = TradingState(rawValue: raw) else {
            throw .malformedPayload(type: .heartbeat, field: "state", reason: "unknown state \(raw), known 0...2")
        }
        self.state = state
    }
}
