// What the cluster decides by quorum.

/// The subject of a proposal. Raw values are part of the wire format.
public enum DecisionTopic: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// The cluster-wide consensus market regime (value: regime name, UTF-8).
    case consensusRegime = 1
    /// Global risk-off (value: empty, or a reason).
    case riskOff = 2
    /// Halt trading cluster-wide by vote.
    case halt = 3
    /// Resume trading cluster-wide by vote.
    case resume = 4
    /// An order intent on the shared book (value: encoded by the caller).
    case orderIntent = 5

    public var description: String {
        switch self {
        case .consensusRegime: "consensus_regime"
        case .riskOff: "risk_off"
        case .halt: "halt"
        case .resume: "resume"
        case .orderIntent: "order_intent"
        }
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        let raw = try reader.u8("topic")
        guard let topic = DecisionTopic(rawValue: raw) else {
            throw .malformedPayload(type: reader.type, field: "topic", reason: "unknown topic \(raw), known 1...5")
        }
        self = topic
    }
}
