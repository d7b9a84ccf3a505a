// A decision as the tally script appends it: the signed proposal and every signed vote,
// recounted by each receiver. A quorum certificate in the sense of Castro and Liskov,
// "Practical Byzantine Fault Tolerance" (OSDI 1999), here with a shared HMAC key.

import Protocols

/// A decision-stream entry appended by ``ClusterScripts/tally`` in the atomic step that
/// counted the deciding vote, so the decider does not spend a round trip appending it.
///
/// Redis cannot sign, so the entry carries the signatures of those who can: the proposer's
/// signed proposal (field `p`) and each voter's signed vote (one `v` field per vote). The
/// unsigned fields are the status (`s`: 1 approved, 2 rejected), the fencing token (`t`,
/// the script's `INCR`) and the deciding voter (`d`). A receiver verifies every signature,
/// recounts the votes and checks them against the deciding vote's signed quorum (required
/// approvals among live members) the way the script decided, so a Redis client without the
/// key can neither forge a decision nor pass off too few votes as a quorum. The unsigned
/// fields are trusted as far as Redis is: the token's order was always Redis's (a signed
/// decision carries the decider's copy of the same `INCR`, and a client that can write the
/// stream can also write the counter). A certificate appended again, whatever its `d` or
/// `t`, is caught by its proposal ID within the freshness window of its newest vote
/// (``CertificateAdmission``).
public struct DecisionCertificate: Sendable, Equatable {
    public static let proposalField = "p"
    public static let statusField = "s"
    public static let tokenField = "t"
    public static let deciderField = "d"
    public static let voteField = "v"

    /// The decision, with the counts recounted from the signed votes.
    public var decision: Decision
    /// The deciding voter's signed vote (its quorum view decided).
    public var decidingVote: WireMessage
    /// Timestamp of the newest signed vote, ns since the Unix epoch: when the decision was
    /// made, as far as signatures tell (a replay cannot make it newer).
    public var newestVoteNs: UInt64

    /// Whether `entry` is a certificate (a signed decision has an `m` field instead).
    public static func isCertificate(_ entry: StreamEntry) -> Bool { entry[proposalField] != nil }

    /// Verifies `entry`.
    /// - Throws: `DecisionCertificateError` naming the field at fault.
    public init(entry: StreamEntry, codec: WireCodec) throws(DecisionCertificateError) {
        let proposalMessage = try Self.message(entry, field: Self.proposalField, codec: codec)
        guard case let .proposal(proposal) = proposalMessage.payload else {
            throw .inconsistent("field p holds a \(proposalMessage.payload.type), not a proposal")
        }
        guard proposalMessage.sender == proposal.id.proposer else {
            throw .inconsistent("proposal \(proposal.id) signed by \(proposalMessage.sender), not its proposer")
        }
        let status = try Self.integer(entry, field: Self.statusField)
        let token = try Self.integer(entry, field: Self.tokenField)
        guard let deciderBytes = entry[Self.deciderField], !deciderBytes.isEmpty else {
            throw .field(Self.deciderField, reason: "missing or empty")
        }
        let decider = String(decoding: deciderBytes, as: UTF8.self)

        var voters: Set<String> = []
        var approvals = 0
        var rejections = 0
        var deciding: (message: WireMessage, vote: Vote)?
        var newest: UInt64 = 0
        for (index, field) in entry.fields.filter({ $0.name == Self.voteField }).enumerated() {
            let message: WireMessage
            do throws(WireError) { message = try codec.decode(field.value) } catch {
                throw .message(field: "v[\(index)]", error)
            }
            guard case let .vote(vote) = message.payload else {
                throw .inconsistent("field v[\(index)] holds a \(message.payload.type), not a vote")
            }
            guard vote.proposal == proposal.id else {
                throw .inconsistent("vote by \(message.sender) is on \(vote.proposal), not \(proposal.id)")
            }
            guard voters.insert(message.sender).inserted else { throw .inconsistent("two votes by \(message.sender)") }
            if vote.approve { approvals += 1 } else { rejections += 1 }
            newest = max(newest, message.timestampNs)
            if message.sender == decider { deciding = (message, vote) }
        }
        guard let deciding else { throw .inconsistent("no vote by the deciding voter \(decider)") }
        // The script decides under the quorum view of whichever vote came last, whatever
        // that vote's own verdict (views differ while a member joins or is evicted).
        let required = Int(deciding.vote.requiredApprovals)
        let live = Int(deciding.vote.liveMembers)
        let outcome: Decision.Outcome
        switch status {
        case 1:
            guard token > 0 else { throw .inconsistent("approved without a fencing token") }
            guard required >= 1, approvals >= required else {
                throw .quorumNotMet("approved with \(approvals) signed approvals, \(required) required of \(live) live")
            }
            outcome = .approved
        case 2:
            guard token == 0 else { throw .inconsistent("rejected with fencing token \(token)") }
            guard required >= 1, approvals < required, rejections > live - required else {
                throw .quorumNotMet("rejected with \(rejections) signed rejections and \(approvals) approvals, "
                                    + "\(required) required of \(live) live")
            }
            outcome = .rejected
        default:
            throw .field(Self.statusField, reason: "status \(status), expected 1 (approved) or 2 (rejected)")
        }
        decision = Decision(
            proposal: proposal.id, topic: proposal.topic, value: proposal.value, outcome: outcome,
            approvals: UInt32(clamping: approvals), rejections: UInt32(clamping: rejections),
            liveMembers: UInt32(clamping: live), fencingToken: UInt64(token))
        decidingVote = deciding.message
        newestVoteNs = newest
    }

    private static func message(_ entry: StreamEntry, field: String, codec: WireCodec) throws(DecisionCertificateError) -> WireMessage {
        guard let bytes = entry[field] else { throw .field(field, reason: "missing") }
        do throws(WireError) { return try codec.decode(bytes) } catch { throw .message(field: field, error) }
    }

    private static func integer(_ entry: StreamEntry, field: String) throws(DecisionCertificateError) -> Int64 {
        guard let bytes = entry[field] else { throw .field(field, reason: "missing") }
        guard bytes.count <= 20, let value = Int64(String(decoding: bytes, as: UTF8.self)), value >= 0 else {
            throw .field(field, reason: "not a non-negative integer")
        }
        return value
    }
}

/// Why a decision certificate was refused.
public enum DecisionCertificateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An unsigned field is missing or malformed.
    case field(String, reason: String)
    /// A signed message (proposal `p` or a vote `v[i]`) does not decode or authenticate.
    case message(field: String, WireError)
    /// The signed parts disagree with each other or with the unsigned fields.
    case inconsistent(String)
    /// The signed votes do not reach the quorum claimed.
    case quorumNotMet(String)

    /// The drop counter it is counted under: a bad signature or a quorum the signed votes
    /// do not support can only be forged; anything else is malformed.
    public var dropReason: DropReason {
        switch self {
        case .message(_, .badTag), .quorumNotMet: .forged
        case .field, .message, .inconsistent: .malformed
        }
    }

    public var description: String {
        switch self {
        case let .field(name, reason): "decision certificate field \(name): \(reason)"
        case let .message(field, error): "decision certificate field \(field): \(error)"
        case let .inconsistent(reason): "decision certificate: \(reason)"
        case let .quorumNotMet(reason): "decision certificate: quorum not met: \(reason)"
        }
    }
}
