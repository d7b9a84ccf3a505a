import TestSupport
import Foundation
import Protocols
import Synchronization
import Testing
@testable import Coordination

@Suite("Lua scripts against a real redis-server (EVALSHA)", .serialized)
struct ClusterScriptsTests {
    /// One tally call; `signedVote` and `signedProposal` empty, as when an agent could not sign.
    func vote(_ redis: RedisConnection, keys: ClusterKeys, proposal: ProposalID, voter: String, approve: Bool,
              required: Int, live: Int, signedVote: [UInt8] = [], signedProposal: [UInt8] = []) throws -> TallyOutcome {
        let reply = try redis.evalsha(
            ClusterScripts.tally,
            keys: [RedisArgument(keys.votes(proposal)), RedisArgument(keys.fencingCounter), RedisArgument(keys.decision(proposal)),
                   RedisArgument(keys.decisionStream)],
            arguments: [RedisArgument(voter), approve ? "1" : "0", RedisArgument(required), RedisArgument(live), "60000",
                        RedisArgument(bytes: signedVote), RedisArgument(bytes: signedProposal), "1000"])
        return try TallyOutcome(reply: reply)
    }

    @Test("with the signed proposal and signed votes, the deciding vote appends a certificate that verifies; a late vote appends nothing")
    func tallyAppendsCertificate() throws {
        try TestRedis.with { config throws in
            let redis = RedisConnection(configuration: config)
            let keys = ClusterKeys(namespace: TestRedis.prefix("certificate"))
            let codec = WireCodec(key: testKey)
            let id = ProposalID(proposer: "a1", number: 3)
            let proposal = Proposal(id: id, topic: .consensusRegime, value: Array("calm".utf8), deadlineNs: .max)
            func signedVote(_ voter: String, _ approve: Bool, sequence: UInt64) throws -> [UInt8] {
                try codec.encode(WireMessage(sender: voter, sequence: sequence, timestampNs: 1, payload:
                    .vote(Vote(proposal: id, requiredApprovals: 3, liveMembers: 3, approve: approve))))
            }
            let proposalBytes = try codec.encode(WireMessage(sender: "a1", sequence: 1, timestampNs: 1, payload: .proposal(proposal)))
            let first = try vote(redis, keys: keys, proposal: id, voter: "a1", approve: true, required: 3, live: 3,
                                 signedVote: signedVote("a1", true, sequence: 1), signedProposal: proposalBytes)
            #expect(first.status == .pending && !first.decisionAppended)
            _ = try vote(redis, keys: keys, proposal: id, voter: "a2", approve: true, required: 3, live: 3,
                         signedVote: signedVote("a2", true, sequence: 1))
            let deciding = try vote(redis, keys: keys, proposal: id, voter: "a3", approve: true, required: 3, live: 3,
                                    signedVote: signedVote("a3", true, sequence: 1))
            #expect(deciding == TallyOutcome(status: .approved, approvals: 3, rejections: 0, fencingToken: 1, decidedByThisVote: true,
                                             decisionAppended: true))
            let late = try vote(redis, keys: keys, proposal: id, voter: "a4", approve: true, required: 3, live: 4,
                                signedVote: signedVote("a4", true, sequence: 1))
            #expect(!late.decidedByThisVote && !late.decisionAppended)
            let range = try redis.command(["XRANGE", RedisArgument(keys.decisionStream), "-", "+"])
            let entries = (range.array ?? []).compactMap(StreamEntry.init(reply:))
            try #require(entries.count == 1)
            let certificate = try DecisionCertificate(entry: entries[0], codec: codec)
            #expect(certificate.decision == Decision(proposal: id, topic: .consensusRegime, value: Array("calm".utf8), outcome: .approved,
                                                     approvals: 3, rejections: 0, liveMembers: 3, fencingToken: 1))
            #expect(certificate.decidingVote.sender == "a3")
            #expect(ClusterInspector.decisions(fromRange: range, codec: codec) == [certificate.decision])

            // Without the signed proposal in Redis the decider is told to append a signed decision.
            let other = ProposalID(proposer: "a2", number: 4)
            let alone = try vote(redis, keys: keys, proposal: other, voter: "a1", approve: true, required: 1, live: 1,
                                 signedVote: signedVote("a1", true, sequence: 2))
            #expect(alone.decidedByThisVote && !alone.decisionAppended)
            #expect(try redis.command(["XLEN", RedisArgument(keys.decisionStream)]).integer == 1)
        }
    }

    @Test("3 live agents at 0.75: pending until the third approval, which alone decides and gets the INCRed token")
    func tallyApproves() throws {
        try TestRedis.with { config throws in
            let redis = RedisConnection(configuration: config)
            let keys = ClusterKeys(namespace: TestRedis.prefix("tally"))
            let p1 = ProposalID(proposer: "a1", number: 1)
            try redis.command("SCRIPT", "FLUSH")  // exercises the NOSCRIPT fallback
            #expect(try vote(redis, keys: keys, proposal: p1, voter: "a1", approve: true, required: 3, live: 3)
                == TallyOutcome(status: .pending, approvals: 1, rejections: 0, fencingToken: 0, decidedByThisVote: false))
            #expect(try vote(redis, keys: keys, proposal: p1, voter: "a1", approve: true, required: 3, live: 3).approvals == 1)  // revote ignored
            #expect(try vote(redis, keys: keys, proposal: p1, voter: "a2", approve: true, required: 3, live: 3).status == .pending)
            let decided = try vote(redis, keys: keys, proposal: p1, voter: "a3", approve: true, required: 3, live: 3)
            #expect(decided == TallyOutcome(status: .approved, approvals: 3, rejections: 0, fencingToken: 1, decidedByThisVote: true))
            let late = try vote(redis, keys: keys, proposal: p1, voter: "a4", approve: false, required: 3, live: 4)
            #expect(late == TallyOutcome(status: .approved, approvals: 3, rejections: 0, fencingToken: 1, decidedByThisVote: false))
            let p2 = ProposalID(proposer: "a2", number: 1)
            _ = try vote(redis, keys: keys, proposal: p2, voter: "a1", approve: true, required: 1, live: 1)
            #expect(try redis.command(["GET", RedisArgument(keys.fencingCounter)]).integer == 2)
        }
    }

    @Test("rejections beyond live − required decide 'rejected' without consuming a fencing token")
    func tallyRejects() throws {
        try TestRedis.with { config throws in
            let redis = RedisConnection(configuration: config)
            let keys = ClusterKeys(namespace: TestRedis.prefix("reject"))
            let p = ProposalID(proposer: "a1", number: 7)
            #expect(try vote(redis, keys: keys, proposal: p, voter: "a1", approve: false, required: 3, live: 4).status == .pending)
            let outcome = try vote(redis, keys: keys, proposal: p, voter: "a2", approve: false, required: 3, live: 4)
            #expect(outcome == TallyOutcome(status: .rejected, approvals: 0, rejections: 2, fencingToken: 0, decidedByThisVote: true))
            #expect(try redis.command(["GET", RedisArgument(keys.fencingCounter)]) == .null)
        }
    }

    @Test("concurrent voters on separate threads: exactly one vote decides, the token is INCRed once per proposal")
    func tallyIsAtomic() throws {
        try TestRedis.with { config throws in
            let keys = ClusterKeys(namespace: TestRedis.prefix("atomic"))
            let proposals = (0..<20).map { ProposalID(proposer: "p", number: UInt64($0)) }
            let deciders = Mutex<[ProposalID: Int]>([:])
            let tokens = Mutex<Set<UInt64>>([])
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 6) { voter in
                let redis = RedisConnection(configuration: config)
                for proposal in proposals {
                    do {
                        let outcome = try vote(redis, keys: keys, proposal: proposal, voter: "v\(voter)", approve: true, required: 4, live: 6)
                        if outcome.decidedByThisVote {
                            deciders.withLock { $0[proposal, default: 0] += 1 }
                            tokens.withLock { _ = $0.insert(outcome.fencingToken) }
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            #expect(failures.withLock { $0 }.isEmpty)
            #expect(deciders.withLock { $0 }.count == 20 && deciders.withLock { $0 }.values.allSatisfy { $0 == 1 })
            #expect(tokens.withLock { $0 } == Set(1...20))
        }
    }

    @Test("lease on SET NX PX: a second agent cannot take it; only the owner renews and releases")
    func leaseScripts() throws {
        try TestRedis.with { config throws in
            let redis = RedisConnection(configuration: config)
            let key = RedisArgument(ClusterKeys(namespace: TestRedis.prefix("lease")).leaderLease)
            #expect(try redis.command(["SET", key, "a:1", "NX", "PX", "3000"]) == .status("OK"))
            #expect(try redis.command(["SET", key, "b:1", "NX", "PX", "3000"]) == .null)
            #expect(try redis.evalsha(ClusterScripts.leaseRenew, keys: [key], arguments: ["b:1", "3000"]) == .integer(0))
            #expect(try redis.evalsha(ClusterScripts.leaseRenew, keys: [key], arguments: ["a:1", "5000"]) == .integer(1))
            #expect((try redis.command(["PTTL", key]).integer ?? 0) > 3000)
            #expect(try redis.evalsha(ClusterScripts.leaseRelease, keys: [key], arguments: ["b:1"]) == .integer(0))
            #expect(try redis.evalsha(ClusterScripts.leaseRelease, keys: [key], arguments: ["a:1"]) == .integer(1))
            #expect(try redis.command(["SET", key, "b:1", "NX", "PX", "3000"]) == .status("OK"))
        }
    }

    @Test("a malformed tally reply is a typed error")
    func badReply() {
        #expect(throws: CoordinationError.unexpectedTallyReply(":1")) { try TallyOutcome(reply: .integer(1)) }
        #expect(throws: CoordinationError.self) { try TallyOutcome(reply: .array([.integer(1), .integer(3), .integer(0), .integer(1), .integer(1)])) }
        #expect(throws: CoordinationError.self) { try TallyOutcome(reply: .array([.integer(9), .integer(0), .integer(0), .integer(0), .integer(0), .integer(0)])) }
    }
}
