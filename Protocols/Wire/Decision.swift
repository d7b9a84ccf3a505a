// Decision payload.

/// The outcome of a proposal, with the fencing token that orders decisions cluster-wide.
public struct Decision: Sendable, Equatable, Codable, WirePayloadCoding {
    /// Approved or rejected.
    public enum Outcome: UInt8, Sendable, Codable {
        case approved = 1
        case rejected = 2
    }

    static let wireType = WireMessageType.decision

    /// The proposal decided.
    public var proposal: ProposalID
    /// Its topic.
    public var topic: DecisionTopic
    /// Its value.
    public var value: [UInt8]
    /// Approved or rejected.
    public var outcome: Outcome
    /// Approving votes counted when decided.
    public var approvals: UInt32
    /// Rejecting votes counted when decided.
    public var rejections: UInt32
    /// Live members the quorum was computed over.
    public var liveMembers: UInt32
    /// Fencing token from Redis INCR; strictly increasing across decisions (0 for rejected).
    public var fencingToken: UInt64

    public init(
        proposal: ProposalID, topic: DecisionTopic, value: [UInt8], outcome: Outcome,
        approvals: UInt32, rejections: UInt32, liveMembers: UInt32, fencingToken: UInt64
    ) {
        self.proposal = proposal
        self.topic = topic
        self.value = value
        self.outcome = outcome
        self.approvals = approvals
        self.rejections = rejections
        self.liveMembers = liveMembers
        self.fencingToken = fencingToken
    }

    func encode(into writer: inout ByteWriter) throws(WireError) {
        try proposal.encode(into: &writer, type: .decision)
        writer.u8(topic.rawValue)
        writer.bytes32(value)
        writer.u8(outcome.rawValue)
        writer.u32(approvals)
        writer.u32(rejections)
        writer.u32(liveMembers)
        writer.u64(fencingToken)
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        proposal = try ProposalID(reading: &reader)
        topic = try DecisionTopic(reading: &reader)
        value = try reader.bytes32("value")
        let raw = try reader.u8("outcome")
        guard let outcome = Outcome(rawValue: raw) else {
            throw .malformedPayload(type: .decision, field: "outcome", reason: "unknown outcome \(raw), known 1...2")
        }
        self.outcome = outcome
        approvals = try reader.u32("approvals")
        rejections = try reader.u32("rejections")
        liveMembers = try reader.u32("liveMembers")
        fencingToken = try reader.u64("fencingToken")
    }
}
