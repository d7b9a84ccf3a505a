// The report of `quantum-agent cluster status [--json]`.

import Protocols

/// Cluster state as shown by `cluster status`. Encodes to
/// `{"members":[{"id":…,"heartbeat_age_ms":…}],"leader":…,"halted":…,"halt":…,"decisions":[…]}`
/// with `leader` and `halt` as `null` when absent; `members` lists live agents only.
public struct ClusterStatus: Sendable, Equatable, Codable {
    /// One live member.
    public struct Member: Sendable, Equatable, Codable {
        public var id: String
        /// Age of its last heartbeat, ms.
        public var heartbeatAgeMs: Int64

        public init(id: String, heartbeatAgeMs: Int64) {
            self.id = id
            self.heartbeatAgeMs = heartbeatAgeMs
        }

        enum CodingKeys: String, CodingKey {
            case id
            case heartbeatAgeMs = "heartbeat_age_ms"
        }
    }

    /// One recent decision.
    public struct DecisionSummary: Sendable, Equatable, Codable {
        /// `proposer#number`.
        public var id: String
        public var topic: String
        /// `approved` or `rejected`.
        public var outcome: String
        public var fencingToken: UInt64
        public var approvals: UInt32
        public var liveMembers: UInt32

        public init(_ decision: Decision) {
            id = decision.proposal.description
            topic = decision.topic.description
            outcome = decision.outcome == .approved ? "approved" : "rejected"
            fencingToken = decision.fencingToken
            approvals = decision.approvals
            liveMembers = decision.liveMembers
        }

        enum CodingKeys: String, CodingKey {
            case id, topic, outcome, approvals
            case fencingToken = "fencing_token"
            case liveMembers = "live_members"
        }
    }

    public var members: [Member]
    public var leader: String?
    public var halted: Bool
    public var halt: HaltRecord?
    public var decisions: [DecisionSummary]

    public init(members: [Member], leader: String?, halted: Bool, halt: HaltRecord?, decisions: [DecisionSummary]) {
        self.members = members
        self.leader = leader
        self.halted = halted
        self.halt = halt
        self.decisions = decisions
    }

    enum CodingKeys: String, CodingKey {
        case members, leader, halted, halt, decisions
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(members, forKey: .members)
        try container.encode(leader, forKey: .leader)  // explicit null when none
        try container.encode(halted, forKey: .halted)
        try container.encode(halt, forKey: .halt)
        try container.encode(decisions, forKey: .decisions)
    }
}
