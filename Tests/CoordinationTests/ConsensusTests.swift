import Protocols
import Testing
@testable import Coordination

@Suite("Quorum rule and consensus")
struct ConsensusTests {
    @Test("required approvals are ceil(0.75 × live): 1→1, 2→2, 3→3, 4→3, 5→4, 8→6")
    func quorumRule() throws {
        let rule = try QuorumRule(threshold: 0.75)
        #expect([1, 2, 3, 4, 5, 8].map { rule.requiredApprovals(liveMembers: $0) } == [1, 2, 3, 3, 4, 6])
        #expect(rule.decisiveRejections(liveMembers: 4) == 2)
        #expect(try QuorumRule(threshold: 0.5).requiredApprovals(liveMembers: 4) == 2)
        #expect(throws: CoordinationConfigurationError.outOfRange(parameter: "consensus_threshold", value: "1.5", allowed: "(0, 1]")) {
            try QuorumRule(threshold: 1.5)
        }
    }

    @Test("configuration defaults are the seed's and validation names the bad field")
    func configuration() throws {
        let config = CoordinationConfiguration()
        #expect(config.heartbeatIntervalMs == 1000 && config.heartbeatTimeoutMs == 3000 && config.agentTimeoutMs == 5000)
        #expect(config.consensusThreshold == 0.75 && config.emergencyCoordinationEnabled)
        try config.validate()
        var bad = config
        bad.heartbeatTimeoutMs = 500
        #expect(throws: CoordinationConfigurationError.outOfRange(parameter: "heartbeat_timeout_ms", value: "500", allowed: "> heartbeat_interval (1000)")) {
            try bad.validate()
        }
    }

    func machine(_ id: String) throws -> Consensus {
        Consensus(selfID: id, rule: try QuorumRule(threshold: 0.75), configuration: CoordinationConfiguration(), firstNumber: 100)
    }

    @Test("propose carries the proposer's own vote; the deciding tally broadcasts the decision, applied when read back")
    func proposeVoteDecide() throws {
        var a = try machine("a")
        let (id, directives) = a.propose(topic: .riskOff, value: [1], wallClockNs: 5_000, liveMembers: 4, nowNs: 0) { $0.value == [1] }
        guard directives.count == 1, case let .broadcastProposal(proposal, ownVote) = directives[0] else {
            Issue.record("expected one broadcastProposal, got \(directives)")
            return
        }
        #expect(id == ProposalID(proposer: "a", number: 100) && proposal.deadlineNs == 5_000 + 2_000_000_000)
        #expect(ownVote == VoteSubmission(proposal: id, voter: "a", approve: true, requiredApprovals: 3, liveMembers: 4))
        // Reading its own proposal back: already voted, nothing to do.
        #expect(a.votedWhenProposed(id))
        #expect(a.proposalReceived(proposal, approve: true, liveMembers: 4, nowNs: 1).isEmpty)
        #expect(a.counters.duplicates == 1)
        let notDeciding = TallyOutcome(status: .approved, approvals: 3, rejections: 0, fencingToken: 7, decidedByThisVote: false)
        #expect(a.tallyResult(notDeciding, for: id, nowNs: 2).isEmpty)
        let deciding = TallyOutcome(status: .approved, approvals: 3, rejections: 0, fencingToken: 7, decidedByThisVote: true)
        let decision = Decision(proposal: id, topic: .riskOff, value: [1], outcome: .approved, approvals: 3, rejections: 0, liveMembers: 4, fencingToken: 7)
        #expect(a.tallyResult(deciding, for: id, nowNs: 2) == [.broadcastDecision(decision)])
        // When the script appended the certificate itself there is nothing to broadcast.
        var appended = deciding
        appended.decisionAppended = true
        #expect(a.tallyResult(appended, for: id, nowNs: 2).isEmpty)
        #expect(!a.isCurrent(fencingToken: 7))
        #expect(a.decisionReceived(decision) == [.apply(decision)])  // in stream order, like every agent
        #expect(a.isCurrent(fencingToken: 7))
        #expect(a.decisionReceived(decision).isEmpty)  // redelivered: applied once
        #expect(a.counters.applied == 1 && a.counters.duplicates == 2)
        #expect(a.votedWhenProposed(id) && !a.votedWhenProposed(ProposalID(proposer: "b", number: 100)))
    }

    @Test("a peer's proposal → one vote with the quorum at voting time; a deciding rejection is broadcast and recorded")
    func peerProposalRejected() throws {
        var b = try machine("b")
        let proposal = Proposal(id: ProposalID(proposer: "a", number: 9), topic: .halt, value: [], deadlineNs: .max)
        #expect(!b.votedWhenProposed(proposal.id))
        let vote = b.proposalReceived(proposal, approve: false, liveMembers: 3, nowNs: 0)
        #expect(vote == [.submitVote(VoteSubmission(proposal: proposal.id, voter: "b", approve: false, requiredApprovals: 3, liveMembers: 3))])
        #expect(b.proposalReceived(proposal, approve: false, liveMembers: 3, nowNs: 1).isEmpty)  // votes once
        let rejected = TallyOutcome(status: .rejected, approvals: 0, rejections: 1, fencingToken: 0, decidedByThisVote: true)
        let decision = Decision(proposal: proposal.id, topic: .halt, value: [], outcome: .rejected, approvals: 0, rejections: 1,
                                liveMembers: 3, fencingToken: 0)
        #expect(b.tallyResult(rejected, for: proposal.id, nowNs: 2) == [.broadcastDecision(decision)])
        #expect(b.decisionReceived(decision) == [.recordRejection(decision)])
        #expect(b.lastAppliedToken == 0 && b.counters.rejected == 1)
    }

    @Test("decisions apply once, in increasing fencing-token order; stale tokens and duplicates are refused")
    func fencing() throws {
        var b = try machine("b")
        func decision(_ n: UInt64, token: UInt64, outcome: Decision.Outcome = .approved) -> Decision {
            Decision(proposal: ProposalID(proposer: "a", number: n), topic: .consensusRegime, value: Array("bull".utf8),
                     outcome: outcome, approvals: 3, rejections: 0, liveMembers: 3, fencingToken: token)
        }
        #expect(b.decisionReceived(decision(1, token: 5)) == [.apply(decision(1, token: 5))])
        #expect(b.isCurrent(fencingToken: 5))
        #expect(b.decisionReceived(decision(1, token: 5)).isEmpty)  // redelivered
        #expect(b.decisionReceived(decision(2, token: 4)) == [.rejectStaleToken(decision(2, token: 4), lastApplied: 5)])
        #expect(b.decisionReceived(decision(3, token: 0, outcome: .rejected)) == [.recordRejection(decision(3, token: 0, outcome: .rejected))])
        #expect(b.decisionReceived(decision(4, token: 6)) == [.apply(decision(4, token: 6))])
        #expect(!b.isCurrent(fencingToken: 5))
        #expect(b.counters.applied == 2 && b.counters.staleTokens == 1 && b.counters.duplicates == 1 && b.counters.rejected == 1)
    }

    @Test("undecided proposals expire after proposal_timeout_ms, and a late decision still applies")
    func expiry() throws {
        var a = try machine("a")
        let proposal = Proposal(id: ProposalID(proposer: "c", number: 1), topic: .halt, value: [], deadlineNs: 0)
        _ = a.proposalReceived(proposal, approve: false, liveMembers: 3, nowNs: 1_000)
        #expect(a.tick(nowNs: 1_000 + 1_999_999_999).isEmpty)
        #expect(a.tick(nowNs: 1_000 + 2_000_000_000) == [.expired(proposal.id)])
        #expect(a.openProposals.isEmpty)
        let late = Decision(proposal: proposal.id, topic: .halt, value: [], outcome: .approved, approvals: 3, rejections: 0, liveMembers: 3, fencingToken: 1)
        #expect(a.decisionReceived(late) == [.apply(late)])
    }
}
