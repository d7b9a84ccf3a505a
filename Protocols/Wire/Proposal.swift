// Proposal payload.

/// A proposal put to a quorum vote.
public struct Proposal: Sendable, Equatable, Codable, WirePayloadCoding {
    static let wireType = WireMessageType.proposal

    /// Cluster-wide identity.
    public var id: ProposalID
    /// What is being decided.
    public var topic: DecisionTopic
    /// Topic-specific value (opaque bytes, e.g. a regime name in UTF-8).
    public var value: [UInt8]
    /// Wall-clock deadline, ns since the Unix epoch, after which the proposal expires.
    public var deadlineNs: UInt64

    public init(id: ProposalID, topic: DecisionTopic, value: [UInt8], deadlineNs: UInt64) {
        self.id = id
        self.topic = topic
        self.value = value
        self.deadlineNs = deadlineNs
    }

    func encode(into writer: inout ByteWriter) throws(WireError) {
        try id.encode(into: &writer, type: .proposal)
        writer.u8(topic.rawValue)
        writer.bytes32(value)
        writer.u64(deadlineNs)
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        id = try ProposalID(reading: &reader)
        topic = try DecisionTopic(reading: &reader)
        value = try reader.bytes32("value")
        deadlineNs = try reader.u64("deadlineNs")
    }
}
