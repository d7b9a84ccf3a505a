// Emergency halt: any agent raises it, only an operator lifts it.

import Protocols

/// What the shell must do for the emergency halt.
public enum HaltDirective: Sendable, Equatable {
    /// Stop sending orders at once (cancel working orders per risk policy).
    case stopOrders
    /// Write the halt record to Redis (`SET <haltState>` without expiry).
    case persistHalt(HaltRecord)
    /// Publish the halt on the halt channel (and stream) to every agent.
    case broadcastHalt(Halt)
    /// Delete the persisted halt record.
    case clearPersistedHalt
    /// Publish the operator's resume to every agent.
    case broadcastResume(Resume)
    /// Orders may flow again (unless this agent is self-halted).
    case resumeOrders
    /// A resume from a non-operator was refused (count and alert).
    case resumeRefused(from: String)
}

/// A halt as persisted and reported by `cluster status`.
public struct HaltRecord: Sendable, Equatable, Codable {
    enum CodingKeys: String, CodingKey {
        case reason
        case raisedBy = "raised_by"
        case raisedAtNs = "raised_at_ns"
    }

    public var reason: String
    public var raisedBy: String
    /// Wall clock when raised, ns since the Unix epoch.
    public var raisedAtNs: UInt64

    public init(reason: String, raisedBy: String, raisedAtNs: UInt64) {
        self.reason = reason
        self.raisedBy = raisedBy
        self.raisedAtNs = raisedAtNs
    }
}

/// Cluster emergency-halt state of one agent. Fail-safe: only an operator resume lifts a
/// halt; a missing persisted record (e.g. Redis lost its data) never lifts one.
public struct HaltController: Sendable {
    /// Who asks to resume.
    public enum Origin: Sendable, Equatable {
        case agent(String)
        case `operator`(String)
    }

    public let selfID: String
    /// When false (`emergency_coordination_enabled: false`) halts stay local.
    public let coordinationEnabled: Bool
    /// The current halt, `nil` while trading is allowed.
    public private(set) var halt: HaltRecord?

    public init(selfID: String, coordinationEnabled: Bool = true) {
        self.selfID = selfID
        self.coordinationEnabled = coordinationEnabled
    }

    public var isHalted: Bool { halt != nil }

    /// This agent raises a halt.
    public mutating func raise(reason: String, wallClockNs: UInt64) -> [HaltDirective] {
        guard halt == nil else { return [] }
        let record = HaltRecord(reason: reason, raisedBy: selfID, raisedAtNs: wallClockNs)
        halt = record
        guard coordinationEnabled else { return [.stopOrders] }
        return [.stopOrders, .persistHalt(record), .broadcastHalt(Halt(reason: reason))]
    }

    /// A halt from another agent arrived (idempotent).
    public mutating func haltReceived(from sender: String, _ message: Halt, wallClockNs: UInt64) -> [HaltDirective] {
        guard halt == nil else { return [] }
        halt = HaltRecord(reason: message.reason, raisedBy: sender, raisedAtNs: wallClockNs)
        return [.stopOrders]
    }

    /// A persisted halt was found on (re)join: adopt it. Absence lifts nothing.
    public mutating func restore(persisted: HaltRecord?) -> [HaltDirective] {
        guard let persisted, halt == nil else { return [] }
        halt = persisted
        return [.stopOrders]
    }

    /// A resume command issued locally (CLI) or received (`Resume` message).
    /// Only `.operator` origins lift the halt; agents are refused.
    public mutating func resume(by origin: Origin, reason: String, broadcast: Bool) -> [HaltDirective] {
        switch origin {
        case let .agent(id):
            return [.resumeRefused(from: id)]
        case let .operator(id):
            guard halt != nil else { return [] }
            halt = nil
            guard broadcast, coordinationEnabled else { return [.resumeOrders] }
            return [.clearPersistedHalt, .broadcastResume(Resume(operatorID: id, reason: reason)), .resumeOrders]
        }
    }
}
