// Quorum decisions with fencing tokens as a pure state machine. Fencing tokens after
// Kleppmann ("How to do distributed locking", 2016); quorum voting after Gifford,
// "Weighted voting for replicated data" (1979).

import Protocols

/// What the shell must do after a consensus event.
public enum ConsensusDirective: Sendable, Equatable {
    /// Append the proposal to the proposal stream and, in the same pipelined write (after
    /// the entry), submit the proposer's own vote (run ``ClusterScripts/tally``, feed the
    /// result to ``Consensus/tallyResult(_:for:nowNs:)``).
    case broadcastProposal(Proposal, ownVote: VoteSubmission)
    /// Run ``ClusterScripts/tally`` with these arguments (see ``VoteSubmission``), then
    /// feed the result to ``Consensus/tallyResult(_:for:nowNs:)``.
    case submitVote(VoteSubmission)
    /// This agent's vote decided the proposal but the tally script could not append the
    /// decision certificate (the signed proposal was not in Redis): append a signed decision
    /// to the decision stream (it is applied, like everywhere, when read from the stream).
    case broadcastDecision(Decision)
    /// Act on the decision (it carries the newest fencing token).
    case apply(Decision)
    /// A decision whose fencing token is not newer than the last applied: not acted on.
    case rejectStaleToken(Decision, lastApplied: UInt64)
    /// The cluster rejected the proposal: record it (nothing to act on).
    case recordRejection(Decision)
    /// A proposal's deadline passed without a decision.
    case expired(ProposalID)
}

/// Arguments of one tally-script call.
public struct VoteSubmission: Sendable, Equatable {
    public var proposal: ProposalID
    public var voter: String
    public var approve: Bool
    /// Approvals required among `liveMembers` (the quorum rule at voting time).
    public var requiredApprovals: Int
    public var liveMembers: Int
}

/// Counters of the consensus machine.
public struct ConsensusCounters: Sendable, Equatable, Codable {
    public var proposed: UInt64 = 0
    public var applied: UInt64 = 0
    public var rejected: UInt64 = 0
    public var expired: UInt64 = 0
    public var staleTokens: UInt64 = 0
    public var duplicates: UInt64 = 0
    public init() {}
}

/// Proposal → votes → decision, driven by events and explicit `now` (monotonic ns).
///
/// The authoritative count is the atomic Lua tally in Redis; this machine decides when to
/// vote, remembers proposals until decided or expired, applies decisions idempotently by
/// proposal ID and only in increasing fencing-token order.
public struct Consensus: Sendable {
    struct Pending: Sendable {
        var proposal: Proposal
        var receivedNs: UInt64
        var voted: Bool
        var liveMembers: Int
    }

    public let selfID: String
    public let rule: QuorumRule
    private let timeoutNs: UInt64
    private var nextNumber: UInt64
    private var pending: [ProposalID: Pending] = [:]
    private var done: Set<ProposalID> = []
    private var doneOrder: [ProposalID] = []
    private let doneCapacity = 4096
    /// Fencing token of the last applied decision (0 before any).
    public private(set) var lastAppliedToken: UInt64 = 0
    public private(set) var counters = ConsensusCounters()

    /// - Parameter firstNumber: first proposal number (use the start wall clock in ns so a
    ///   restarted agent never reuses an ID).
    public init(selfID: String, rule: QuorumRule, configuration: CoordinationConfiguration, firstNumber: UInt64) {
        self.selfID = selfID
        self.rule = rule
        timeoutNs = UInt64(max(configuration.proposalTimeoutMs, 1)) * 1_000_000
        nextNumber = firstNumber
    }

    /// Open proposals.
    public var openProposals: [ProposalID] { pending.keys.sorted { ($0.proposer, $0.number) < ($1.proposer, $1.number) } }

    /// Whether `token` is the newest applied: whoever acts on a decision checks this first.
    public func isCurrent(fencingToken token: UInt64) -> Bool { token != 0 && token == lastAppliedToken }

    /// Creates a proposal with the proposer's own vote, submitted together with the
    /// proposal (one round trip instead of waiting to read the proposal back); the
    /// read-back is then skipped (``votedWhenProposed(_:)``).
    /// - Parameters:
    ///   - wallClockNs: wall clock, ns since the Unix epoch (for the deadline).
    ///   - liveMembers: live members now (the quorum of this vote).
    ///   - evaluate: this agent's verdict on its own proposal.
    public mutating func propose(topic: DecisionTopic, value: [UInt8], wallClockNs: UInt64, liveMembers: Int, nowNs: UInt64,
                                 evaluate: (Proposal) -> Bool = { _ in true }) -> (ProposalID, [ConsensusDirective]) {
        let id = ProposalID(proposer: selfID, number: nextNumber)
        nextNumber &+= 1
        counters.proposed += 1
        let proposal = Proposal(id: id, topic: topic, value: value, deadlineNs: wallClockNs + timeoutNs)
        pending[id] = Pending(proposal: proposal, receivedNs: nowNs, voted: true, liveMembers: liveMembers)
        let vote = VoteSubmission(proposal: id, voter: selfID, approve: evaluate(proposal),
                                  requiredApprovals: rule.requiredApprovals(liveMembers: liveMembers), liveMembers: liveMembers)
        return (id, [.broadcastProposal(proposal, ownVote: vote)])
    }

    /// Whether `id` is this agent's own proposal, voted on when it was proposed: reading it
    /// back from the stream needs nothing but the acknowledgement.
    public func votedWhenProposed(_ id: ProposalID) -> Bool {
        id.proposer == selfID && (pending[id]?.voted == true || done.contains(id))
    }

    /// A proposal was read from the stream; `approve` is this agent's local verdict.
    public mutating func proposalReceived(_ proposal: Proposal, approve: Bool, liveMembers: Int, nowNs: UInt64) -> [ConsensusDirective] {
        guard !done.contains(proposal.id), pending[proposal.id]?.voted != true else {
            counters.duplicates += 1
            return []
        }
        pending[proposal.id] = Pending(proposal: proposal, receivedNs: nowNs, voted: true, liveMembers: liveMembers)
        return [.submitVote(VoteSubmission(
            proposal: proposal.id, voter: selfID, approve: approve,
            requiredApprovals: rule.requiredApprovals(liveMembers: liveMembers), liveMembers: liveMembers))]
    }

    /// The tally script's answer to this agent's vote.
    public mutating func tallyResult(_ outcome: TallyOutcome, for id: ProposalID, nowNs: UInt64) -> [ConsensusDirective] {
        // A certificate appended by the script in the step that decided is read back and
        // applied like any decision: nothing to broadcast.
        guard outcome.decidedByThisVote, !outcome.decisionAppended, outcome.status != .pending, let open = pending[id] else { return [] }
        let decision = Decision(
            proposal: id, topic: open.proposal.topic, value: open.proposal.value,
            outcome: outcome.status == .approved ? .approved : .rejected,
            approvals: UInt32(clamping: outcome.approvals), rejections: UInt32(clamping: outcome.rejections),
            liveMembers: UInt32(clamping: open.liveMembers), fencingToken: outcome.fencingToken)
        // Not applied here before it is read back: every agent applies decisions in the
        // stream's order, so all refuse the same stale tokens (a decider that applied its
        // own decision at once could apply one the others refuse, or the reverse).
        return [.broadcastDecision(decision)]
    }

    /// A decision was read from the decision stream (at-least-once: duplicates are ignored).
    public mutating func decisionReceived(_ decision: Decision) -> [ConsensusDirective] {
        guard !done.contains(decision.proposal) else {
            counters.duplicates += 1
            return []
        }
        markDone(decision.proposal)
        guard decision.outcome == .approved else {
            counters.rejected += 1
            return [.recordRejection(decision)]
        }
        guard decision.fencingToken > lastAppliedToken else {
            counters.staleTokens += 1
            return [.rejectStaleToken(decision, lastApplied: lastAppliedToken)]
        }
        lastAppliedToken = decision.fencingToken
        counters.applied += 1
        return [.apply(decision)]
    }

    /// Restores the last applied fencing token after a restart (never lowers it), so
    /// decisions already acted on are not applied again.
    public mutating func restore(lastAppliedToken token: UInt64) {
        lastAppliedToken = max(lastAppliedToken, token)
    }

    /// Expires proposals received more than `proposal_timeout_ms` ago.
    public mutating func tick(nowNs: UInt64) -> [ConsensusDirective] {
        var directives: [ConsensusDirective] = []
        for (id, open) in pending where nowNs >= open.receivedNs && nowNs - open.receivedNs >= timeoutNs {
            pending[id] = nil  // not marked done: a late decision from Redis still applies
            counters.expired += 1
            directives.append(.expired(id))
        }
        return directives.sorted { lhs, rhs in
            guard case let .expired(a) = lhs, case let .expired(b) = rhs else { return false }
            return (a.proposer, a.number) < (b.proposer, b.number)
        }
    }

    private mutating func markDone(_ id: ProposalID) {
        pending[id] = nil
        guard done.insert(id).inserted else { return }
        doneOrder.append(id)
        if doneOrder.count > doneCapacity {
            let evicted = doneOrder.removeFirst()
            done.remove(evicted)
        }
    }
}
