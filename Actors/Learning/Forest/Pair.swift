// A pair of values indexed by binary class label, stored inline.

/// Two values indexed by class 0 / 1, stored inline (no heap allocation).
struct Pair<T: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    var first: T
    var second: T

    init(_ first: T, _ second: T) {
        self.first = first
        self.second = second
    }

    subscript(c: Int) -> T {
        get { c == 0 ? first : second }
        set { if c == 0 { first = newValue } else { second = newValue } }
    }

    var count: Int { 2 }
}
