// The payload union of cluster messages.

/// The body of a cluster message; its case determines the header's type byte.
public enum WirePayload: Sendable, Equatable {
    case heartbeat(Heartbeat)
    case proposal(Proposal)
    case vote(Vote)
    case decision(Decision)
    case halt(Halt)
    case resume(Resume)

    /// Message type written in the header.
    public var type: WireMessageType {
        switch self {
        case .heartbeat: .heartbeat
        case .proposal: .proposal
        case .vote: .vote
        case .decision: .decision
        case .halt: .halt
        case .resume: .resume
        }
    }

    func encode(into writer: inout ByteWriter) throws(WireError) {
        switch self {
        case let .heartbeat(p): try p.encode(into: &writer)
        case let .proposal(p): try p.encode(into: &writer)
        case let .vote(p): try p.encode(into: &writer)
        case let .decision(p): try p.encode(into: &writer)
        case let .halt(p): try p.encode(into: &writer)
        case let .resume(p): try p.encode(into: &writer)
        }
    }

    init(type: WireMessageType, reading reader: inout ByteReader) throws(WireError) {
        switch type {
        case .heartbeat: self = .heartbeat(try Heartbeat(reading: &reader))
        case .proposal: self = .proposal(try Proposal(reading: &reader))
        case .vote: self = .vote(try Vote(reading: &reader))
        case .decision: self = .decision(try Decision(reading: &reader))
        case .halt: self = .halt(try Halt(reading: &reader))
        case .resume: self = .resume(try Resume(reading: &reader))
        }
        try reader.finish()
    }
}
