/// What an executor thread does when it has no work.
///
/// - `spin`: busy-polls its queues (lowest latency, burns the core). Only sound on a
///   core of its own: two spinners on one core cost milliseconds per hop.
/// - `spinThenPark`: polls for a bounded number of iterations, then parks on a futex
///   (the default; a wake costs 20–45 µs on a VM).
/// - `park`: parks as soon as its queues are empty.
public enum IdleStrategy: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case spin
    case spinThenPark
    case park

    /// Parses a config value; accepts `spinThenPark`, `spin-then-park` and `spin_then_park`.
    /// - Throws: `HardwareError.unknownIdleStrategy` naming the value.
    public init(parsing text: String) throws(HardwareError) {
        switch text.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "") {
        case "spin": self = .spin
        case "spinthenpark": self = .spinThenPark
        case "park": self = .park
        default: throw .unknownIdleStrategy(text)
        }
    }

    public var description: String { rawValue }
}

/// How much an actor's latency matters, which decides its placement.
public enum LatencyClass: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// On the tick-to-order path: a core of its own when one is free.
    case critical
    /// Packed with other normal actors on the cores critical actors leave.
    case normal
    /// Housekeeping (journal, VaR, exports): kept off critical cores.
    case background

    /// - Throws: `HardwareError.unknownLatencyClass` naming the value.
    public init(parsing text: String) throws(HardwareError) {
        guard let value = LatencyClass(rawValue: text.lowercased()) else { throw .unknownLatencyClass(text) }
        self = value
    }

    public var description: String { rawValue }
}
