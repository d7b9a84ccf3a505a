// Vote payload.

/// One agent's vote on a proposal (the voter is the message's sender), with the quorum
/// it was cast under. Signed votes travel inside the decision the tally script appends
/// (see `DecisionCertificate` in Coordination), so every agent can recount them.
public struct Vote: Sendable, Equatable, Codable, WirePayloadCoding {
    static let wireType = WireMessageType.vote

    /// The proposal voted on.
    public var proposal: ProposalID
    /// Approvals required among `liveMembers`, as the voter computed them when voting.
    public var requiredApprovals: UInt32
    /// Live members the voter counted when voting.
    public var liveMembers: UInt32
    /// `true` to approve, `false` to reject.
    public var approve: Bool

    public init(proposal: ProposalID, requiredApprovals: UInt32, liveMembers: UInt32, approve: Bool) {
        self.proposal = proposal
        self.requiredApprovals = requiredApprovals
        self.liveMembers = liveMembers
        self.approve = approve
    }

    func encode(into writer: inout ByteWriter) throws(WireError) {
        try proposal.encode(into: &writer, type: .vote)
        writer.u32(requiredApprovals)
        writer.u32(liveMembers)
        writer.bool(approve)
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        proposal = try ProposalID(reading: &reader)
        requiredApprovals = try reader.u32("requiredApprovals")
        liveMembers = try reader.u32("liveMembers")
        approve = try reader.bool("approve")
    }
}
