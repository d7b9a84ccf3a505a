// Heartbeat membership as a pure state machine (heartbeat failure detection as in
// Chandra & Toueg, "Unreliable failure detectors for reliable distributed systems", 1996;
// directive style after swift-cluster-membership's SWIMInstance).

import Protocols

/// What the shell must do after a membership event.
public enum MembershipDirective: Sendable, Equatable {
    /// Publish this agent's heartbeat now (pub/sub, and refresh its member key with PX expiry).
    case publishHeartbeat
    /// A member was seen for the first time (or again after eviction).
    case memberJoined(String)
    /// A member restarted (new incarnation) without having been evicted.
    case memberRestarted(String)
    /// A member was silent for `heartbeat_timeout_ms` and is evicted: recompute quorums.
    case memberEvicted(String)
}

/// Live members of the cluster, from heartbeats and explicit `now` (monotonic ns).
///
/// `tick(nowNs:)` asks for a heartbeat every `heartbeat_interval` and evicts members whose
/// last heartbeat is `heartbeat_timeout_ms` old or more; so a dead agent is evicted within
/// `heartbeat_timeout + one tick interval` of its last heartbeat. This agent is always live.
public struct Membership: Sendable {
    /// What is known of one member.
    public struct Member: Sendable, Equatable {
        public var id: String
        /// Local monotonic time of its last heartbeat, ns.
        public var lastHeartbeatNs: UInt64
        public var incarnation: UInt64
        public var state: Heartbeat.TradingState
    }

    /// This agent's identifier.
    public let selfID: String
    private let intervalNs: UInt64
    private let timeoutNs: UInt64
    private var nextHeartbeatNs: UInt64?
    private var members: [String: Member] = [:]

    public init(selfID: String, configuration: CoordinationConfiguration) {
        self.selfID = selfID
        intervalNs = UInt64(max(configuration.heartbeatIntervalMs, 1)) * 1_000_000
        timeoutNs = UInt64(max(configuration.heartbeatTimeoutMs, 1)) * 1_000_000
    }

    /// Live member identifiers, this agent included, sorted.
    public var liveMembers: [String] { (Array(members.keys) + [selfID]).sorted() }

    /// Number of live members, this agent included.
    public var liveCount: Int { members.count + 1 }

    /// Other members as last seen.
    public var peers: [Member] { members.values.sorted { $0.id < $1.id } }

    /// Age of `id`'s last heartbeat at `nowNs`, ns (0 for this agent, `nil` if unknown).
    public func heartbeatAgeNs(of id: String, nowNs: UInt64) -> UInt64? {
        if id == selfID { return 0 }
        guard let member = members[id] else { return nil }
        return nowNs >= member.lastHeartbeatNs ? nowNs - member.lastHeartbeatNs : 0
    }

    /// Advances time: heartbeat due, evictions.
    public mutating func tick(nowNs: UInt64) -> [MembershipDirective] {
        var directives: [MembershipDirective] = []
        if let next = nextHeartbeatNs, nowNs < next {
            // not due yet
        } else {
            directives.append(.publishHeartbeat)
            let base = nextHeartbeatNs ?? nowNs
            // Keep the cadence, but never schedule in the past after a stall.
            nextHeartbeatNs = base + intervalNs > nowNs ? base + intervalNs : nowNs + intervalNs
        }
        for member in members.values.sorted(by: { $0.id < $1.id })
        where nowNs >= member.lastHeartbeatNs && nowNs - member.lastHeartbeatNs >= timeoutNs {
            members[member.id] = nil
            directives.append(.memberEvicted(member.id))
        }
        return directives
    }

    /// A heartbeat from `sender` arrived at local time `nowNs`.
    public mutating func heartbeatReceived(from sender: String, _ heartbeat: Heartbeat, nowNs: UInt64) -> [MembershipDirective] {
        guard sender != selfID else { return [] }
        let member = Member(id: sender, lastHeartbeatNs: nowNs, incarnation: heartbeat.incarnation, state: heartbeat.state)
        defer { members[sender] = member }
        guard let known = members[sender] else { return [.memberJoined(sender)] }
        return known.incarnation != heartbeat.incarnation ? [.memberRestarted(sender)] : []
    }

    /// A member announced it is leaving (or its member key was deleted).
    public mutating func memberLeft(_ id: String) -> [MembershipDirective] {
        members.removeValue(forKey: id) == nil ? [] : [.memberEvicted(id)]
    }

    /// Forgets all peers (after this agent was cut off: it rebuilds the view from heartbeats).
    public mutating func reset() {
        members.removeAll()
        nextHeartbeatNs = nil
    }
}
