// Label drift: change of the positive-label rate between a frozen reference and a sliding window.

/// `quantum_agent_drift_label_shift_ratio`: |mean(y)_current − mean(y)_reference|.
///
/// The first `referenceCapacity` labels form the reference (then frozen); later labels fill a
/// ring of the last `windowCapacity` labels with a running count. `record` is O(1) and
/// allocation-free.
public struct LabelShiftWindow: Sendable {
    public let referenceCapacity: Int
    public let windowCapacity: Int
    private var ring: [Bool]
    private var head = 0
    private var referencePositives = 0
    public private(set) var referenceCount = 0
    private var currentPositives = 0
    public private(set) var currentCount = 0

    /// - Throws: `MonitoringError.parameterOutOfRange` for a capacity outside 1 … 10,000,000.
    public init(referenceCapacity: Int, windowCapacity: Int) throws(MonitoringError) {
        guard (1...10_000_000).contains(referenceCapacity) else {
            throw .parameterOutOfRange(name: "referenceCapacity", value: Double(referenceCapacity), allowed: "1...10000000")
        }
        guard (1...10_000_000).contains(windowCapacity) else {
            throw .parameterOutOfRange(name: "windowCapacity", value: Double(windowCapacity), allowed: "1...10000000")
        }
        self.referenceCapacity = referenceCapacity
        self.windowCapacity = windowCapacity
        ring = [Bool](repeating: false, count: windowCapacity)
    }

    /// Records one realised label.
    public mutating func record(_ label: Bool) {
        if referenceCount < referenceCapacity {
            referenceCount += 1
            if label { referencePositives += 1 }
            return
        }
        if currentCount == windowCapacity {
            if ring[head] { currentPositives -= 1 }
        } else {
            currentCount += 1
        }
        ring[head] = label
        if label { currentPositives += 1 }
        head = head + 1 == windowCapacity ? 0 : head + 1
    }

    /// The shift; `nil` until the reference is full and the window holds a label.
    public var shift: Double? {
        guard referenceCount == referenceCapacity, currentCount > 0 else { return nil }
        return abs(Double(currentPositives) / Double(currentCount) - Double(referencePositives) / Double(referenceCount))
    }

    /// Forgets everything (a new model version starts a new reference).
    public mutating func reset() {
        head = 0
        referencePositives = 0
        referenceCount = 0
        currentPositives = 0
        currentCount = 0
    }
}
