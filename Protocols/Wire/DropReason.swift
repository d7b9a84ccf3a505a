// Why an incoming cluster message was dropped.

/// Reason a received message was dropped; each has its own counter in ``DropCounters``.
public enum DropReason: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// The HMAC tag did not verify.
    case forged
    /// A sequence number already seen, or below the anti-replay window.
    case replayed
    /// Timestamp older than the accepted window.
    case stale
    /// Timestamp further in the future than the allowed clock skew.
    case future
    /// Bytes that do not parse (bad magic, version, length, type, payload).
    case malformed
    /// A new sender while the per-sender table is full.
    case tooManySenders = "too_many_senders"

    public var description: String { rawValue }
}
