// Options of the Redis alert channel (cluster mode): where events are published and kept.

import Foundation
import Protocols

/// Where and how the Redis channel publishes alert events.
public struct RedisAlertConfiguration: Sendable, Equatable {
    /// The Redis server (`cluster.redis_url`).
    public var redis: RedisConfiguration
    /// Pub/sub channel every event is PUBLISHed to (default `quantum-agent:alerts`).
    public var channel: String
    /// Stream every event is appended to, for agents that were down (default `quantum-agent:alerts:history`).
    public var stream: String
    /// Approximate cap on the stream (`XADD … MAXLEN ~ n`, default 10,000 events); Redis trims
    /// whole nodes, so the stream may hold up to ~100 more.
    public var streamMaxLength: Int
    /// This agent's id, carried in every message (default: the host name).
    public var agent: String
    /// Events buffered while Redis is slow or down (default 1,024); beyond it the oldest is dropped and counted.
    public var bufferCapacity: Int
    /// Events written per pipelined round trip (default 64).
    public var batchSize: Int
    /// Delay between reconnect attempts (default 100 ms doubling to 5 s, 20 % jitter).
    public var backoff: ReconnectBackoff

    /// - Throws: `AlertError.invalidParameter` naming the bad option.
    public init(redis: RedisConfiguration, channel: String = "quantum-agent:alerts",
                stream: String = "quantum-agent:alerts:history", streamMaxLength: Int = 10_000,
                agent: String = ProcessInfo.processInfo.hostName, bufferCapacity: Int = 1024, batchSize: Int = 64,
                backoff: ReconnectBackoff = ReconnectBackoff(initialNs: 100_000_000, maximumNs: 5_000_000_000))
        throws(AlertError) {
        guard !channel.isEmpty else { throw .invalidParameter(name: "redis alert channel", value: "\"\"", allowed: "a channel name") }
        guard !stream.isEmpty else { throw .invalidParameter(name: "redis alert stream", value: "\"\"", allowed: "a stream key") }
        guard streamMaxLength >= 1 else {
            throw .invalidParameter(name: "redis alert streamMaxLength", value: "\(streamMaxLength)", allowed: ">= 1")
        }
        guard (1...1_000_000).contains(bufferCapacity) else {
            throw .invalidParameter(name: "redis alert bufferCapacity", value: "\(bufferCapacity)", allowed: "1...1000000")
        }
        guard (1...10_000).contains(batchSize) else {
            throw .invalidParameter(name: "redis alert batchSize", value: "\(batchSize)", allowed: "1...10000")
        }
        self.redis = redis
        self.channel = channel
        self.stream = stream
        self.streamMaxLength = streamMaxLength
        self.agent = agent
        self.bufferCapacity = bufferCapacity
        self.batchSize = batchSize
        self.backoff = backoff
    }
}
