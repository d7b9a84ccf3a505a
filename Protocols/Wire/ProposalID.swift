// Identity of a proposal in the quorum protocol.

/// Identifies a proposal cluster-wide: the proposing agent plus its own counter.
public struct ProposalID: Hashable, Sendable, CustomStringConvertible, Codable {
    /// Agent that made the proposal.
    public var proposer: String
    /// Proposer-local number, unique per proposer.
    public var number: UInt64

    public init(proposer: String, number: UInt64) {
        self.proposer = proposer
        self.number = number
    }

    /// `proposer#number`, also used in Redis key names.
    public var description: String { "\(proposer)#\(number)" }

    func encode(into writer: inout ByteWriter, type: WireMessageType) throws(WireError) {
        try writer.checkedString(proposer, field: "proposal.proposer", maxLength: WireLimits.identifier, type: type)
        writer.u64(number)
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        proposer = try reader.string16("proposal.proposer", maxLength: WireLimits.identifier)
        number = try reader.u64("proposal.number")
    }
}
