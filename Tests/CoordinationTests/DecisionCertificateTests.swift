import Protocols
import Testing
@testable import Coordination

@Suite("Decision certificates: signed proposal and votes, recounted by the receiver")
struct DecisionCertificateTests {
    let codec = WireCodec(key: testKey)
    let id = ProposalID(proposer: "a", number: 5)
    var proposal: Proposal { Proposal(id: id, topic: .riskOff, value: Array("on".utf8), deadlineNs: 10) }

    func signed(_ sender: String, _ payload: WirePayload, at timestampNs: UInt64 = 1, codec: WireCodec? = nil) throws -> [UInt8] {
        try (codec ?? self.codec).encode(WireMessage(sender: sender, sequence: 1, timestampNs: timestampNs, payload: payload))
    }

    func vote(_ voter: String, approve: Bool = true, on proposal: ProposalID? = nil, required: UInt32 = 3, live: UInt32 = 3,
              at timestampNs: UInt64 = 1, codec: WireCodec? = nil) throws -> [UInt8] {
        try signed(voter, .vote(Vote(proposal: proposal ?? id, requiredApprovals: required, liveMembers: live, approve: approve)),
                   at: timestampNs, codec: codec)
    }

    func entry(status: String = "1", token: String = "7", decider: String = "c", votes: [[UInt8]], proposal: [UInt8]? = nil) throws -> StreamEntry {
        var fields: [(name: String, value: [UInt8])] = [
            ("p", try proposal ?? signed("a", .proposal(self.proposal))),
            ("s", Array(status.utf8)), ("t", Array(token.utf8)), ("d", Array(decider.utf8)),
        ]
        fields += votes.map { (name: "v", value: $0) }
        return StreamEntry(id: "1-0", fields: fields)
    }

    func refusal(_ entry: StreamEntry) -> DecisionCertificateError? {
        do {
            _ = try DecisionCertificate(entry: entry, codec: codec)
            return nil
        } catch {
            return error
        }
    }

    @Test("three signed approvals at 0.75 of 3 live: approved with the script's token, counts recounted from the votes")
    func approved() throws {
        let votes = [try vote("b", at: 30), try vote("a", at: 10), try vote("c", at: 20)]
        let certificate = try DecisionCertificate(entry: entry(votes: votes), codec: codec)
        #expect(certificate.decision == Decision(proposal: id, topic: .riskOff, value: Array("on".utf8), outcome: .approved,
                                                 approvals: 3, rejections: 0, liveMembers: 3, fencingToken: 7))
        #expect(certificate.decidingVote.sender == "c" && certificate.newestVoteNs == 30)
        #expect(DecisionCertificate.isCertificate(try entry(votes: [])))
        #expect(!DecisionCertificate.isCertificate(StreamEntry(id: "1-0", fields: [("m", [1])])))
    }

    @Test("a rejection decided by the second rejecting vote carries no token")
    func rejected() throws {
        let votes = [try vote("a"), try vote("b", approve: false), try vote("c", approve: false)]
        let certificate = try DecisionCertificate(entry: entry(status: "2", token: "0", votes: votes), codec: codec)
        #expect(certificate.decision.outcome == .rejected && certificate.decision.fencingToken == 0)
        #expect(certificate.decision.approvals == 1 && certificate.decision.rejections == 2)
    }

    @Test("an approving vote whose quorum view decides 'rejected' (views differ while a member is evicted): accepted, as the script decided")
    func decidedUnderTheLastVotersView() throws {
        // a saw 4 live (3 required) and rejected; b saw 3 live (3 required): 1 rejection > 3 − 3.
        let votes = [try vote("a", approve: false, required: 3, live: 4), try vote("b", approve: true, required: 3, live: 3)]
        let certificate = try DecisionCertificate(entry: entry(status: "2", token: "0", decider: "b", votes: votes), codec: codec)
        #expect(certificate.decision.outcome == .rejected && certificate.decision.liveMembers == 3)
        #expect(certificate.decision.approvals == 1 && certificate.decision.rejections == 1)
    }

    @Test("fewer signed votes than the deciding vote's quorum, or a vote signed with another key: counted as forged")
    func forged() throws {
        let short = refusal(try entry(votes: [vote("a"), vote("c")]))
        #expect(short == .quorumNotMet("approved with 2 signed approvals, 3 required of 3 live"))
        #expect(short?.dropReason == .forged)
        let otherKey = WireCodec(key: try WireKey(bytes: Array(repeating: 0x11, count: 32)))
        let badTag = refusal(try entry(votes: [vote("a"), vote("b", codec: otherKey), vote("c")]))
        #expect(badTag == .message(field: "v[1]", .badTag) && badTag?.dropReason == .forged)
        let badProposal = refusal(try entry(votes: [vote("a"), vote("b"), vote("c")],
                                            proposal: signed("a", .proposal(proposal), codec: otherKey)))
        #expect(badProposal == .message(field: "p", .badTag))
        // Rejected needs more than live − required rejections: 1 of 3 live at quorum 3 is enough, at quorum 2 it is not.
        let enough = refusal(try entry(status: "2", token: "0", decider: "c", votes: [vote("a"), vote("c", approve: false)]))
        #expect(enough == nil)
        let tooFew = refusal(try entry(status: "2", token: "0", decider: "c",
                                       votes: [vote("a"), vote("c", approve: false, required: 2, live: 3)]))
        #expect(tooFew == .quorumNotMet("rejected with 1 signed rejections and 1 approvals, 2 required of 3 live"))
        #expect(tooFew?.dropReason == .forged)
        // Approvals that reach the quorum cannot be passed off as a rejection.
        let approvedAsRejected = refusal(try entry(status: "2", token: "0", votes: [vote("a"), vote("b"), vote("c", approve: false, required: 2)]))
        #expect(approvedAsRejected?.dropReason == .forged)
    }

    @Test("admission: a fresh certificate once; again with another deciding voter or token, replayed; old or future-dated, dropped")
    func admission() throws {
        let second: UInt64 = 1_000_000_000
        var admission = CertificateAdmission(configuration: .init(maxAgeNs: 5 * second, maxFutureSkewNs: second))
        let now = 100 * second
        let votes = [try vote("a", at: now - 2 * second), try vote("b", at: now - second), try vote("c", at: now - second)]
        let first = try DecisionCertificate(entry: entry(votes: votes), codec: codec)
        #expect(admission.admit(first, nowNs: now) == .accept)
        let otherDecider = try DecisionCertificate(entry: entry(token: "99", decider: "a", votes: votes), codec: codec)
        #expect(admission.admit(otherDecider, nowNs: now + second) == .drop(.replayed))
        // Once its newest vote is older than the window, it is forgotten: any copy is stale.
        // Its newest vote was signed at now − 1 s: remembered until now + 4 s.
        admission.prune(nowNs: now + 4 * second)
        #expect(admission.remembered == 1)
        admission.prune(nowNs: now + 4 * second + 1)
        #expect(admission.remembered == 0)
        #expect(admission.admit(first, nowNs: now + 4 * second + 1) == .drop(.stale))
        let future = try DecisionCertificate(entry: entry(votes: [vote("a"), vote("b"), vote("c", at: now + 2 * second)]), codec: codec)
        #expect(admission.admit(future, nowNs: now) == .drop(.future))
        admission.recordDrop(.forged)
        #expect(admission.counters.accepted == 1 && admission.counters.replayed == 1 && admission.counters.stale == 1
            && admission.counters.future == 1 && admission.counters.forged == 1)
    }

    @Test("inconsistent or malformed certificates name what is wrong and count as malformed")
    func malformed() throws {
        let good = [try vote("a"), try vote("b"), try vote("c")]
        let other = ProposalID(proposer: "a", number: 6)
        let cases: [(StreamEntry, DecisionCertificateError)] = [
            (try entry(votes: [vote("a"), vote("b", on: other), vote("c")]),
             .inconsistent("vote by b is on \(other), not \(id)")),
            (try entry(votes: [vote("a"), vote("c"), vote("c")]), .inconsistent("two votes by c")),
            (try entry(decider: "d", votes: good), .inconsistent("no vote by the deciding voter d")),
            (try entry(votes: good, proposal: signed("b", .proposal(proposal))),
             .inconsistent("proposal \(id) signed by b, not its proposer")),
            (try entry(votes: [vote("a"), signed("b", .halt(Halt(reason: "x"))), vote("c")]),
             .inconsistent("field v[1] holds a halt, not a vote")),
            (try entry(status: "3", votes: good), .field("s", reason: "status 3, expected 1 (approved) or 2 (rejected)")),
            (try entry(token: "x", votes: good), .field("t", reason: "not a non-negative integer")),
            (try entry(token: "-1", votes: good), .field("t", reason: "not a non-negative integer")),
            (try entry(token: "0", votes: good), .inconsistent("approved without a fencing token")),
            (try entry(status: "2", token: "4", votes: good), .inconsistent("rejected with fencing token 4")),
            (try entry(decider: "", votes: good), .field("d", reason: "missing or empty")),
        ]
        for (entry, expected) in cases {
            let error = refusal(entry)
            #expect(error == expected)
            #expect(error?.dropReason == .malformed)
        }
        let garbled = refusal(StreamEntry(id: "1-0", fields: [("p", [1, 2, 3]), ("s", Array("1".utf8))]))
        guard case .message(field: "p", _) = garbled else {
            Issue.record("expected the proposal field to fail decoding, got \(String(describing: garbled))")
            return
        }
    }
}
