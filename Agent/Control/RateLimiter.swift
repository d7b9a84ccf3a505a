// A token bucket per client (seed: max_requests_per_minute = 1000): each client may burst up to
// the per-minute limit, refilled continuously at limit/60 per second. Past it the caller answers
// 429 with Retry-After.

import Foundation
import Synchronization

/// Per-client token buckets. Thread-safe; the clock is injectable for tests.
final class RateLimiter: Sendable {
    /// The outcome for one request.
    enum Decision: Equatable, Sendable {
        case allowed(remaining: Int)
        /// Seconds until one token is available (≥ 1, for Retry-After).
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    /// Requests per minute per client.
    let limitPerMinute: Int
    /// Buckets kept at most; the stalest is evicted first (a full bucket is the same as none).
    let maximumClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])
    private let now: @Sendable () -> Double

    /// - Parameters:
    ///   - limitPerMinute: bucket capacity and refill per minute.
    ///   - now: seconds on a monotonic or wall clock.
    init(limitPerMinute: Int, maximumClients: Int = 10_000,
         now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.limitPerMinute = max(1, limitPerMinute)
        self.maximumClients = max(1, maximumClients)
        self.now = now
    }

    /// Takes one token from `client`'s bucket.
    func acquire(client: String) -> Decision {
        let capacity = Double(limitPerMinute)
        let refillPerSecond = capacity / 60
        let time = now()
        return buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: time)
            bucket.tokens = min(capacity, bucket.tokens + max(0, time - bucket.updated) * refillPerSecond)
            bucket.updated = time
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed(remaining: Int(bucket.tokens))
            } else {
                decision = .limited(retryAfterSeconds: max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up))))
            }
            if buckets[client] == nil, buckets.count >= maximumClients,
               let stalest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key {
                buckets[stalest] = nil
            }
            buckets[client] = bucket
            return decision
        }
    }
}
