// The JSON an alert event travels as on Redis (pub/sub payload and stream field `event`).

import Foundation
import Protocols

/// One alert event as published on Redis: the `AlertEvent` fields plus the agent that raised it,
/// e.g. `{"agent":"node-1","alert":{"id":3,…},"at":1763716800000000000,"kind":"raised"}`
/// (keys sorted, one line). An `AlertEvent` decoder reads it too (the extra key is ignored).
public struct RedisAlertMessage: Sendable, Codable, Equatable {
    /// The agent whose AlertManager produced the event.
    public var agent: String
    public var kind: AlertEvent.Kind
    public var alert: Alert
    /// When it happened, ns (the agent's alert clock: Unix epoch in production).
    public var at: UInt64

    public init(agent: String, event: AlertEvent) {
        self.agent = agent
        kind = event.kind
        alert = event.alert
        at = event.at
    }

    /// The event without the agent.
    public var event: AlertEvent { AlertEvent(kind: kind, alert: alert, at: at) }

    /// The one-line JSON bytes.
    public func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        guard let data = try? encoder.encode(self) else {
            // Unreachable for this type (all fields encodable); keep valid JSON anyway.
            return Array("{\"agent\":\"\(agent)\",\"kind\":\"\(kind.rawValue)\"}".utf8)
        }
        return Array(data)
    }

    /// Decodes a payload or stream field.
    /// - Throws: `DecodingError` when the bytes are not such a message.
    public static func decode(_ bytes: [UInt8]) throws -> RedisAlertMessage {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return try decoder.decode(RedisAlertMessage.self, from: Data(bytes))
    }
}

/// One entry of the alert stream.
public struct RedisAlertRecord: Sendable, Equatable {
    /// Stream entry id (`ms-seq`); pass it as `after` to read on from there.
    public var id: String
    public var message: RedisAlertMessage
}

extension RedisAlertMessage {
    /// Reads the alert stream: entries after `afterID` (exclusive; `nil` = from the start),
    /// oldest first, at most `count` — what an agent that was down reads to catch up.
    /// - Throws: `RedisError` (connection, server, or an entry that is not an alert event).
    public static func history(connection: RedisConnection, stream: String = "quantum-agent:alerts:history",
                               after afterID: String? = nil, count: Int = 1000) throws(RedisError) -> [RedisAlertRecord] {
        let start = afterID.map { "(" + $0 } ?? "-"
        let reply = try connection.command(["XRANGE", RedisArgument(stream), RedisArgument(start), "+", "COUNT",
                                            RedisArgument(max(1, count))])
        guard let entries = reply.array else { throw .unexpectedReply(command: "XRANGE", reply: reply.description) }
        var records: [RedisAlertRecord] = []
        for entry in entries {
            guard let pair = entry.array, pair.count == 2, let id = pair[0].string, let flat = pair[1].array else {
                throw .unexpectedReply(command: "XRANGE", reply: entry.description)
            }
            var payload: [UInt8]?
            var index = 0
            while index + 1 < flat.count {
                if flat[index].string == "event", case let .bulk(bytes) = flat[index + 1] { payload = bytes }
                index += 2
            }
            guard let payload, let message = try? decode(payload) else {
                throw .unexpectedReply(command: "XRANGE", reply: "entry \(id) of \(stream) has no alert event JSON in field 'event'")
            }
            records.append(RedisAlertRecord(id: id, message: message))
        }
        return records
    }
}
