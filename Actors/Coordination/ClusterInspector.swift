// Reading the cluster's state straight from Redis (for `quantum-agent cluster status`),
// and the operator's halt/resume/propose commands.

import Foundation
import Protocols
import Runtime

/// Cluster state and operator actions from outside any agent: reads member keys, the lease,
/// the persisted halt and the decision stream; signs operator messages with the shared key.
public struct ClusterInspector {
    public let keys: ClusterKeys
    let codec: WireCodec
    let connection: RedisConnection
    /// Sender of operator messages: `operator:<name>`.
    public let operatorSender: String
    private var sequence: SequenceCounter

    /// - Parameter operatorName: who acts (e.g. the login name); at most 55 bytes.
    public init(redis: RedisConfiguration, key: WireKey, namespace: String = "qa", operatorName: String) {
        keys = ClusterKeys(namespace: namespace)
        codec = WireCodec(key: key)
        connection = RedisConnection(configuration: redis)
        operatorSender = CoordinationSettings.operatorPrefix + String(decoding: operatorName.utf8.prefix(55), as: UTF8.self)
        sequence = SequenceCounter(startingAtNs: WallClock.nowNanos())
    }

    /// Live members (member keys not yet expired) with heartbeat ages, the lease owner,
    /// the persisted halt, and the last `decisionCount` decisions (verified), newest first.
    /// - Throws: `RedisError`.
    public func status(decisionCount: Int = 10) throws(RedisError) -> ClusterStatus {
        var memberKeys: [String] = []
        var cursor = "0"
        repeat {
            let reply = try connection.command(["SCAN", RedisArgument(cursor), "MATCH", RedisArgument(keys.member("*")), "COUNT", "1000"])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let found = parts[1].array else {
                throw .unexpectedReply(command: "SCAN", reply: reply.description)
            }
            memberKeys += found.compactMap(\.string)
            cursor = next
        } while cursor != "0"
        let prefix = keys.member("")
        var members: [ClusterStatus.Member] = []
        let wall = WallClock.nowNanos()
        if !memberKeys.isEmpty {
            let values = try connection.command((["MGET"] + memberKeys.map { RedisArgument($0) }))
            for (key, value) in zip(memberKeys, values.array ?? []) {
                guard let text = value.string, let beat = UInt64(text) else { continue }  // expired meanwhile
                let age = wall > beat ? (wall - beat) / 1_000_000 : 0
                members.append(ClusterStatus.Member(id: String(key.dropFirst(prefix.count)), heartbeatAgeMs: Int64(age)))
            }
        }
        let replies = try connection.pipeline([
            ["GET", RedisArgument(keys.leaderLease)],
            ["GET", RedisArgument(keys.haltState)],
            ["XREVRANGE", RedisArgument(keys.decisionStream), "+", "-", "COUNT", RedisArgument(decisionCount * 2)],
        ])
        if let error = replies.compactMap(\.errorMessage).first { throw .server(command: "status", message: error) }
        let leader = replies[0].string.map(Self.agentID(fromLeaseToken:))
        var halt: HaltRecord?
        if case let .bulk(json) = replies[1] { halt = HaltRecord.decode(json) }
        var seen = Set<ProposalID>()
        let decisions = Self.decisions(fromRange: replies[2], codec: codec).filter { seen.insert($0.proposal).inserted }
        return ClusterStatus(members: members.sorted { $0.id < $1.id }, leader: leader, halted: halt != nil, halt: halt,
                             decisions: decisions.prefix(decisionCount).map(ClusterStatus.DecisionSummary.init))
    }

    /// Raises an emergency halt as an operator: persists it, then broadcasts it.
    /// - Throws: `RedisError`, or `WireError` for a reason over 1024 bytes.
    public mutating func halt(reason: String) throws -> HaltRecord {
        let record = HaltRecord(reason: reason, raisedBy: operatorSender, raisedAtNs: WallClock.nowNanos())
        let bytes = try sign(.halt(Halt(reason: reason)))
        try connection.command(["SET", RedisArgument(keys.haltState), RedisArgument(bytes: record.encoded())])
        try connection.command(["PUBLISH", RedisArgument(keys.haltChannel), RedisArgument(bytes: bytes)])
        return record
    }

    /// Lifts the emergency halt: deletes the persisted record, then broadcasts the resume.
    /// - Returns: whether a persisted halt was found.
    /// - Throws: `RedisError`, or `WireError` for a reason over 1024 bytes.
    @discardableResult
    public mutating func resume(reason: String) throws -> Bool {
        let operatorID = String(operatorSender.dropFirst(CoordinationSettings.operatorPrefix.count))
        let bytes = try sign(.resume(Resume(operatorID: operatorID, reason: reason)))
        let deleted = try connection.command(["DEL", RedisArgument(keys.haltState)]).integer == 1
        try connection.command(["PUBLISH", RedisArgument(keys.haltChannel), RedisArgument(bytes: bytes)])
        return deleted
    }

    /// Puts a proposal to the agents' vote as an operator (its decision appears in `status`).
    /// - Throws: `RedisError`, `WireError`.
    public mutating func propose(topic: DecisionTopic, value: [UInt8], timeoutMs: Int = 2000) throws -> ProposalID {
        let wall = WallClock.nowNanos()
        let id = ProposalID(proposer: operatorSender, number: wall)
        let proposal = Proposal(id: id, topic: topic, value: value, deadlineNs: wall + UInt64(max(1, timeoutMs)) * 1_000_000)
        let bytes = try sign(.proposal(proposal))
        // The signed proposal goes first where the tally script finds it, so the deciding
        // vote appends the decision certificate itself.
        let ttlMs = RedisArgument(max(60_000, timeoutMs * 10))
        let replies = try connection.pipeline([
            ["HSETNX", RedisArgument(keys.decision(id)), "proposal", RedisArgument(bytes: bytes)],
            ["PEXPIRE", RedisArgument(keys.decision(id)), ttlMs],
            ["XADD", RedisArgument(keys.proposalStream), "MAXLEN", "~", "10000", "*", "m", RedisArgument(bytes: bytes)],
        ])
        if let failure = replies.first(where: { $0.errorMessage != nil }), let message = failure.errorMessage {
            throw RedisError.server(command: "XADD proposal", message: message)
        }
        return id
    }

    private mutating func sign(_ payload: WirePayload) throws(WireError) -> [UInt8] {
        try codec.encode(WireMessage(sender: operatorSender, sequence: sequence.next(), timestampNs: WallClock.nowNanos(), payload: payload))
    }

    /// Verified decisions of an `XRANGE`/`XREVRANGE` reply, in reply order: signed decisions
    /// and decision certificates; entries that do not verify are skipped.
    static func decisions(fromRange reply: RedisReply, codec: WireCodec) -> [Decision] {
        (reply.array ?? []).compactMap { item -> Decision? in StreamEntry(reply: item).flatMap { decision(in: $0, codec: codec) } }
    }

    /// The verified decision of a decision-stream entry: a certificate or a signed decision;
    /// `nil` when it does not verify (no freshness or replay check: see ``CertificateAdmission``).
    static func decision(in entry: StreamEntry, codec: WireCodec) -> Decision? {
        if DecisionCertificate.isCertificate(entry) { return try? DecisionCertificate(entry: entry, codec: codec).decision }
        guard let bytes = entry["m"], let message = try? codec.decode(bytes), case let .decision(decision) = message.payload
        else { return nil }
        return decision
    }

    /// The agent part of a lease owner token `id:incarnation`.
    static func agentID(fromLeaseToken token: String) -> String {
        guard let colon = token.lastIndex(of: ":") else { return token }
        return String(token[..<colon])
    }
}

extension HaltRecord {
    /// JSON as persisted in Redis.
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { Array($0) } ?? Array("{}".utf8)
    }

    /// Parses the persisted JSON; `nil` if it is not a halt record.
    static func decode(_ bytes: [UInt8]) -> HaltRecord? {
        try? JSONDecoder().decode(HaltRecord.self, from: Data(bytes))
    }
}
