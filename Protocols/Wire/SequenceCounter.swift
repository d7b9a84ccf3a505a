// Per-sender sequence numbers that survive restarts.

/// Produces a sender's strictly increasing sequence numbers.
///
/// Start it from the wall clock in ns at process start (``init(startingAtNs:)``): a
/// restarted agent then continues above every number it used before, so receivers'
/// ``ReplayGuard`` windows accept it without being reset.
public struct SequenceCounter: Sendable {
    /// The last number handed out.
    public private(set) var last: UInt64

    /// - Parameter startingAtNs: wall-clock time at start, ns since the Unix epoch.
    public init(startingAtNs: UInt64) {
        last = startingAtNs
    }

    /// The next sequence number.
    public mutating func next() -> UInt64 {
        last &+= 1
        return last
    }
}
