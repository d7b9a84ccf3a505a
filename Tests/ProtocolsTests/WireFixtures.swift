// Random message generators and keys shared by the wire tests.

@testable import Protocols

enum WireFixtures {
    static func key() throws -> WireKey { try WireKey(bytes: Array(0..<32)) }
    static func otherKey() throws -> WireKey { try WireKey(bytes: Array(repeating: 7, count: 32)) }

    static func string(_ rng: inout SplitMix64, maxBytes: Int, allowEmpty: Bool = true) -> String {
        let alphabet = Array("abcXYZ019-_:#é€😀 ")
        var result = ""
        let target = Int.random(in: (allowEmpty ? 0 : 1)...max(1, maxBytes / 4), using: &rng)
        while result.count < target {
            let next = String(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)])
            if result.utf8.count + next.utf8.count > maxBytes { break }
            result += next
        }
        if !allowEmpty && result.isEmpty { result = "a" }
        return result
    }

    static func bytes(_ rng: inout SplitMix64, max: Int) -> [UInt8] {
        (0..<Int.random(in: 0...max, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func proposalID(_ rng: inout SplitMix64) -> ProposalID {
        ProposalID(proposer: string(&rng, maxBytes: 64, allowEmpty: false), number: rng.next())
    }

    static func payload(_ rng: inout SplitMix64) -> WirePayload {
        let topic = DecisionTopic.allCases.randomElement(using: &rng) ?? .riskOff
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            let state: Heartbeat.TradingState = [.trading, .selfHalted, .clusterHalted].randomElement(using: &rng) ?? .trading
            return .heartbeat(Heartbeat(incarnation: rng.next(), state: state))
        case 1:
            return .proposal(Proposal(id: proposalID(&rng), topic: topic, value: bytes(&rng, max: 300), deadlineNs: rng.next()))
        case 2:
            return .vote(Vote(proposal: proposalID(&rng), requiredApprovals: UInt32.random(in: 0...UInt32.max, using: &rng),
                              liveMembers: UInt32.random(in: 0...UInt32.max, using: &rng), approve: Bool.random(using: &rng)))
        case 3:
            return .decision(Decision(
                proposal: proposalID(&rng), topic: topic, value: bytes(&rng, max: 300),
                outcome: Bool.random(using: &rng) ? .approved : .rejected,
                approvals: UInt32.random(in: 0...UInt32.max, using: &rng),
                rejections: UInt32.random(in: 0...UInt32.max, using: &rng),
                liveMembers: UInt32.random(in: 0...UInt32.max, using: &rng), fencingToken: rng.next()))
        case 4:
            return .halt(Halt(reason: string(&rng, maxBytes: 1024)))
        default:
            return .resume(Resume(operatorID: string(&rng, maxBytes: 64), reason: string(&rng, maxBytes: 1024)))
        }
    }

    static func message(_ rng: inout SplitMix64) -> WireMessage {
        WireMessage(
            sender: string(&rng, maxBytes: 64, allowEmpty: false), sequence: rng.next(),
            timestampNs: rng.next(), payload: payload(&rng))
    }
}
