import Foundation
import Protocols

/// A Redis stream entry ID `ms-seq`, ordered as Redis orders them.
struct RedisStreamID: Comparable, Hashable, Sendable, CustomStringConvertible {
    var milliseconds: UInt64
    var sequence: UInt64

    init(milliseconds: UInt64, sequence: UInt64) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    /// Parses `ms-seq` or `ms` (sequence 0); nil for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let ms = UInt64(parts[0]) else { return nil }
        let sequence: UInt64
        if parts.count == 2 {
            guard let parsed = UInt64(parts[1]) else { return nil }
            sequence = parsed
        } else {
            sequence = 0
        }
        self.init(milliseconds: ms, sequence: sequence)
    }

    var description: String { "\(milliseconds)-\(sequence)" }

    static func < (lhs: RedisStreamID, rhs: RedisStreamID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}

extension RedisStreamFeed {
    /// Why an entry is not a tick.
    public struct EntryProblem: Error, Equatable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Reads one entry as a tick: a `line` field (a CSV or JSON feed line), or the fields
    /// `symbol`, `price`, `size`, optional `ts`/`timestamp` (default: the entry ID's ms) and
    /// optional `bid` + `ask`. Values are checked for form only; `TickValidator` judges them.
    public static func parse(_ entry: StreamEntry) -> Result<RawTick, EntryProblem> {
        Result { () throws(EntryProblem) -> RawTick in try tick(of: entry) }
    }

    private static func tick(of entry: StreamEntry) throws(EntryProblem) -> RawTick {
        // The value without surrounding spaces or tabs (bytes, not Foundation: this runs per field).
        func text(_ name: String) -> String? {
            guard let bytes = entry[name] else { return nil }
            let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
            guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else {
                return ""
            }
            return String(decoding: bytes[first...last], as: UTF8.self)
        }
        func number(_ name: String) throws(EntryProblem) -> Double? {
            guard let value = text(name) else { return nil }
            guard let parsed = Double(value) else { throw EntryProblem(reason: "field \(name) '\(value.prefix(40))' is not a number") }
            return parsed
        }
        if let line = text("line") {
            guard let raw = FeedLineParser.parse(Substring(line)) else {
                throw EntryProblem(reason: "field line '\(line.prefix(120))': expected CSV timestamp,symbol,price,size[,bid,ask] or a JSON object")
            }
            return raw
        }
        guard let symbol = text("symbol"), !symbol.isEmpty else {
            throw EntryProblem(reason: "no field symbol (expected a field line, or fields symbol, price, size[, ts, bid, ask])")
        }
        guard let price = try number("price") else { throw EntryProblem(reason: "no field price") }
        guard let size = try number("size") else { throw EntryProblem(reason: "no field size") }
        let bid = try number("bid"), ask = try number("ask")
        guard (bid == nil) == (ask == nil) else { throw EntryProblem(reason: "fields bid and ask come together (one is missing)") }
        let time: UInt64
        if let stamp = text("ts") ?? text("timestamp") {
            guard let parsed = FeedLineParser.parseTime(Substring(stamp)) else {
                throw EntryProblem(reason: "field ts '\(stamp.prefix(40))' is not an epoch time (s, ms, µs or ns) or ISO 8601")
            }
            time = parsed
        } else {
            guard let id = RedisStreamID(entry.id) else { throw EntryProblem(reason: "no field ts and an entry ID that is not ms-seq") }
            let (nanos, overflow) = id.milliseconds.multipliedReportingOverflow(by: 1_000_000)
            guard !overflow else { throw EntryProblem(reason: "no field ts and an entry ID beyond the ns range") }
            time = nanos
        }
        return RawTick(symbol: symbol, price: price, size: size, bid: bid ?? .nan, ask: ask ?? .nan, timeNanos: time)
    }

    /// The entries of an `XREAD` reply for one stream (`[[key, [[id, [f, v, …]], …]]]`, or nil
    /// when nothing arrived); nil when the reply has another shape.
    static func entries(ofRead reply: RedisReply) -> [StreamEntry]? {
        if reply == .null { return [] }
        guard let streams = reply.array else { return nil }
        var entries: [StreamEntry] = []
        for stream in streams {
            guard let pair = stream.array, pair.count == 2, let list = pair[1].array else { return nil }
            for item in list {
                guard let parts = item.array, parts.count == 2, let id = parts[0].string else { return nil }
                var fields: [(name: String, value: [UInt8])] = []
                let flat = parts[1].array ?? []
                var index = 0
                while index + 1 < flat.count {
                    guard let name = flat[index].string, case .bulk(let value) = flat[index + 1] else { return nil }
                    fields.append((name, value))
                    index += 2
                }
                entries.append(StreamEntry(id: id, fields: fields))
            }
        }
        return entries
    }

    /// `last-generated-id` of an `XINFO STREAM` reply (a flat name/value array).
    static func lastGeneratedID(ofInfo reply: RedisReply) -> RedisStreamID? {
        guard let flat = reply.array else { return nil }
        var index = 0
        while index + 1 < flat.count {
            if flat[index].string == "last-generated-id", let text = flat[index + 1].string { return RedisStreamID(text) }
            index += 2
        }
        return nil
    }
}
