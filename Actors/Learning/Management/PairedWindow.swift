// Fixed-capacity ring of paired outcomes (was model A right, was model B right) over
// the same examples: the "recent window" on which a challenger must beat the champion.

/// Paired correctness counts over the last `capacity` examples; no allocation per update.
public struct PairedWindow: Sendable, Codable, Equatable {
    private var outcomes: [UInt8]
    private var head = 0
    public private(set) var count = 0
    public private(set) var correctA = 0
    public private(set) var correctB = 0

    /// A window of `capacity` ≥ 1 examples.
    public init(capacity: Int) {
        outcomes = [UInt8](repeating: 0, count: max(capacity, 1))
    }

    public var capacity: Int { outcomes.count }

    /// Records one example: bit 0 = A correct, bit 1 = B correct.
    public mutating func record(aCorrect: Bool, bCorrect: Bool) {
        let value: UInt8 = (aCorrect ? 1 : 0) | (bCorrect ? 2 : 0)
        if count == outcomes.count {
            let old = outcomes[head]
            correctA -= Int(old & 1)
            correctB -= Int(old >> 1)
        } else {
            count += 1
        }
        outcomes[head] = value
        correctA += Int(value & 1)
        correctB += Int(value >> 1)
        head = head + 1 == outcomes.count ? 0 : head + 1
    }

    public var accuracyA: Double? { count > 0 ? Double(correctA) / Double(count) : nil }
    public var accuracyB: Double? { count > 0 ? Double(correctB) / Double(count) : nil }

    /// Clears the window, keeping its storage.
    public mutating func clear() {
        for i in outcomes.indices { outcomes[i] = 0 }
        head = 0; count = 0; correctA = 0; correctB = 0
    }

    var isConsistent: Bool {
        !outcomes.isEmpty && (0..<outcomes.count).contains(head) && (0...outcomes.count).contains(count)
            && outcomes.allSatisfy { $0 < 4 }
            && correctA == outcomes.reduce(0) { $0 + Int($1 & 1) }
            && correctB == outcomes.reduce(0) { $0 + Int($1 >> 1) }
    }
}
