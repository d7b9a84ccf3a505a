// Leader lease for singleton duties (Gray & Cheriton, "Leases", 1989), on Redis
// SET NX PX; renew and release only by the owner (Lua compare-and-set).

/// What the shell must do for the lease.
public enum LeaseDirective: Sendable, Equatable {
    /// `SET <lease key> <ownerToken> NX PX <ttlMs>`; report with ``LeaderLease/acquireResult(acquired:nowNs:)``.
    case tryAcquire(ownerToken: String, ttlMs: Int)
    /// Run ``ClusterScripts/leaseRenew``; report with ``LeaderLease/renewResult(renewed:nowNs:)``.
    case renew(ownerToken: String, ttlMs: Int)
    /// Run ``ClusterScripts/leaseRelease``.
    case release(ownerToken: String)
    /// This agent now holds the lease: start singleton duties.
    case becameLeader
    /// This agent no longer holds the lease: stop singleton duties at once.
    case lostLeadership
}

/// Client-side view of the leader lease, driven by explicit `now` (monotonic ns).
///
/// Leadership is assumed only until `request sent + ttl − safety margin` (the margin, a
/// tenth of the TTL, covers clock drift and the request's own latency), so this agent stops
/// acting as leader before Redis can let the key expire and hand it to someone else.
public struct LeaderLease: Sendable {
    enum State: Sendable, Equatable {
        case follower(nextAttemptNs: UInt64)
        case acquiring(sentNs: UInt64)
        case leader(validUntilNs: UInt64, renewAtNs: UInt64, renewSentNs: UInt64?)
    }

    /// Value stored in the lease key (unique per agent incarnation, e.g. `id:incarnation`).
    public let ownerToken: String
    public let ttlMs: Int
    private let ttlNs: UInt64
    private let marginNs: UInt64
    private var state: State = .follower(nextAttemptNs: 0)

    public init(ownerToken: String, ttlMs: Int) {
        self.ownerToken = ownerToken
        self.ttlMs = max(ttlMs, 1)
        ttlNs = UInt64(self.ttlMs) * 1_000_000
        marginNs = ttlNs / 10
    }

    /// Whether this agent may act as leader at `nowNs`.
    public func isLeader(nowNs: UInt64) -> Bool {
        if case let .leader(validUntil, _, _) = state { return nowNs < validUntil }
        return false
    }

    /// Advances time: acquire attempts, renewals, local expiry.
    public mutating func tick(nowNs: UInt64) -> [LeaseDirective] {
        switch state {
        case let .follower(nextAttempt):
            guard nowNs >= nextAttempt else { return [] }
            state = .acquiring(sentNs: nowNs)
            return [.tryAcquire(ownerToken: ownerToken, ttlMs: ttlMs)]
        case let .acquiring(sent):
            // A lost reply: retry after a TTL.
            guard nowNs >= sent + ttlNs else { return [] }
            state = .acquiring(sentNs: nowNs)
            return [.tryAcquire(ownerToken: ownerToken, ttlMs: ttlMs)]
        case let .leader(validUntil, renewAt, renewSent):
            if nowNs >= validUntil {
                state = .follower(nextAttemptNs: nowNs + ttlNs / 3)
                return [.lostLeadership]
            }
            guard nowNs >= renewAt, renewSent == nil else { return [] }
            state = .leader(validUntilNs: validUntil, renewAtNs: renewAt, renewSentNs: nowNs)
            return [.renew(ownerToken: ownerToken, ttlMs: ttlMs)]
        }
    }

    /// Result of the `SET NX PX` sent by the last `.tryAcquire`.
    public mutating func acquireResult(acquired: Bool, nowNs: UInt64) -> [LeaseDirective] {
        guard case let .acquiring(sent) = state else { return [] }
        guard acquired else {
            state = .follower(nextAttemptNs: nowNs + ttlNs / 3)
            return []
        }
        state = .leader(validUntilNs: sent + ttlNs - marginNs, renewAtNs: sent + ttlNs / 3, renewSentNs: nil)
        return [.becameLeader]
    }

    /// Result of the renew script sent by the last `.renew`.
    public mutating func renewResult(renewed: Bool, nowNs: UInt64) -> [LeaseDirective] {
        guard case let .leader(_, _, renewSent?) = state else { return [] }
        guard renewed else {
            state = .follower(nextAttemptNs: nowNs + ttlNs / 3)
            return [.lostLeadership]
        }
        state = .leader(validUntilNs: renewSent + ttlNs - marginNs, renewAtNs: renewSent + ttlNs / 3, renewSentNs: nil)
        return []
    }

    /// Gives the lease up. Only the owner releases: a follower gets no directive.
    public mutating func release(nowNs: UInt64) -> [LeaseDirective] {
        guard case .leader = state else { return [] }
        state = .follower(nextAttemptNs: nowNs + ttlNs)
        return [.lostLeadership, .release(ownerToken: ownerToken)]
    }
}
