// Vote payload.

/// One agent's vote on a proposal (the voter is the message's sender).
public struct Vote: Sendable, Equatable, Codable, WirePayloadCoding {
    static let wireType = WireMessageType.vote

    /// The proposal voted on.
    public var proposal: ProposalID
    /// `true` to approve, `false` to reject.
    public var approve: Bool

    public init(proposal: ProposalID, approve: Bool) {
        self.proposal = proposal
        self.approve = approve
    }

    func encode(into writer: inout ByteWriter) throws(WireError) {
        try proposal.encode(into: &writer, type: .vote)
        writer.bool(approve)
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        proposal = try ProposalID(reading: &reader)
        approve = try reader.bool("approve")
    }
}
