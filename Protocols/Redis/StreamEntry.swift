// One entry of a Redis stream.

/// A stream entry: its ID (`ms-seq`) and its field/value pairs (binary values).
public struct StreamEntry: Sendable, Equatable {
    /// Entry ID assigned by XADD, e.g. `1700000000000-0`.
    public var id: String
    /// Field/value pairs in insertion order.
    public var fields: [(name: String, value: [UInt8])]

    public init(id: String, fields: [(name: String, value: [UInt8])]) {
        self.id = id
        self.fields = fields
    }

    /// The value of the first field called `name`.
    public subscript(name: String) -> [UInt8]? {
        fields.first { $0.name == name }?.value
    }

    public static func == (lhs: StreamEntry, rhs: StreamEntry) -> Bool {
        lhs.id == rhs.id && lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Parses `[id, [field, value, ...]]`; deleted entries (nil fields) have no fields.
    public init?(reply: RedisReply) {
        guard let pair = reply.array, pair.count == 2, let id = pair[0].string else { return nil }
        var fields: [(name: String, value: [UInt8])] = []
        if let flat = pair[1].array {
            var index = 0
            while index + 1 < flat.count {
                guard let name = flat[index].string, case let .bulk(value) = flat[index + 1] else { return nil }
                fields.append((name, value))
                index += 2
            }
        }
        self.init(id: id, fields: fields)
    }
}
