// Insertion order of the (at most two) class labels of a node or splitter: River keeps
// classes in Python dicts, whose order decides ties in `max`.

/// Up to two class labels in first-seen order, stored inline.
struct ClassOrder: Sendable, Codable, Equatable {
    private(set) var count: UInt8 = 0
    private var firstClass: UInt8 = 0
    private var secondClass: UInt8 = 0

    init() {}

    func contains(_ c: Int) -> Bool {
        (count > 0 && Int(firstClass) == c) || (count > 1 && Int(secondClass) == c)
    }

    mutating func append(_ c: Int) {
        if count == 0 { firstClass = UInt8(truncatingIfNeeded: c) } else { secondClass = UInt8(truncatingIfNeeded: c) }
        count += 1
    }

    subscript(k: Int) -> Int { Int(k == 0 ? firstClass : secondClass) }

    /// The classes in insertion order (a non-allocating sequence).
    var classes: Classes { Classes(order: self) }

    struct Classes: Sequence, IteratorProtocol {
        let order: ClassOrder
        var position = 0
        mutating func next() -> Int? {
            guard position < Int(order.count) else { return nil }
            defer { position += 1 }
            return order[position]
        }
        var isEmpty: Bool { order.count == 0 }
        var count: Int { Int(order.count) }
    }

    var isConsistent: Bool {
        count <= 2 && firstClass <= 1 && secondClass <= 1 && (count < 2 || firstClass != secondClass)
    }
}
