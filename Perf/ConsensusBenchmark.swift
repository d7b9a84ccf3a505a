// `quantum-agent perf consensus`: time from a proposal to its decision being applied by
// every agent, with N agents in this process sharing one Redis, beside the Redis pub/sub
// round trip measured in the same run.

import Coordination
import Dispatch
import Foundation
import Hardware
import Protocols
import Runtime
import Synchronization

/// Why the consensus benchmark could not run.
public enum ConsensusBenchmarkError: Error, CustomStringConvertible {
    case redis(String)
    case join(String)
    case membersNotSeen(expected: Int, seen: Int)

    public var description: String {
        switch self {
        case let .redis(reason): "Redis: \(reason)"
        case let .join(reason): "agents could not join: \(reason)"
        case let .membersNotSeen(expected, seen): "agents did not see each other within 10 s: \(seen) of \(expected) members"
        }
    }
}

/// N Coordination actors in one process, one Redis; agent 0 proposes, every agent approves.
public struct ConsensusBenchmark: Sendable {
    public var agents: Int
    public var rounds: Int
    /// Redis to use; `nil` starts a private redis-server on a free loopback port.
    public var redis: RedisConfiguration?
    public var heartbeatIntervalMs: Int
    public var idleStrategy: IdleStrategy

    public init(agents: Int = 3, rounds: Int = 200, redis: RedisConfiguration? = nil, heartbeatIntervalMs: Int = 100,
                idleStrategy: IdleStrategy = .park) {
        self.agents = agents
        self.rounds = rounds
        self.redis = redis
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.idleStrategy = idleStrategy
    }

    /// Runs the benchmark.
    /// - Throws: `ConsensusBenchmarkError`.
    public func run() async throws(ConsensusBenchmarkError) -> ConsensusReport {
        var server: RedisServerProcess?
        let configuration: RedisConfiguration
        if let redis {
            configuration = redis
        } else {
            do { server = try RedisServerProcess() } catch { throw .redis("\(error)") }
            configuration = server?.configuration ?? RedisConfiguration()
        }
        defer { server?.stop() }
        let baseline = try Self.pubsubBaseline(configuration, samples: max(rounds, 100))
        let key: WireKey
        do { key = try WireKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255) }, source: "perf") } catch { throw .join("\(error)") }
        let namespace = "perf:\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
        let probe = ApplyProbe()
        var nodes: [ClusterNode] = []
        let protocolConfiguration = CoordinationConfiguration(
            heartbeatIntervalMs: heartbeatIntervalMs, heartbeatTimeoutMs: 3 * heartbeatIntervalMs, consensusThreshold: 0.75,
            agentTimeoutMs: max(5 * heartbeatIntervalMs, 1000), proposalTimeoutMs: 2000, leaseTTLMs: 3 * heartbeatIntervalMs)
        for index in 0..<agents {
            let settings = CoordinationSettings(agentID: "perf-\(index)", redis: configuration, key: key,
                                                protocolConfiguration: protocolConfiguration, namespace: namespace)
            let hooks = CoordinationHooks(onEvent: { event, ns in
                if case let .decisionApplied(decision) = event { probe.record(decision.value, at: ns) }
            })
            do {
                nodes.append(try await ClusterNode.start(settings, hooks: hooks, idleStrategy: idleStrategy))
            } catch {
                for node in nodes { await node.stop() }
                throw .join("\(error)")
            }
        }
        defer { Self.cleanUp(configuration, namespace: namespace) }
        do {
            try await Self.waitForMembers(nodes)
            let clock = MonotonicClock()
            var latencies: [UInt64] = []
            var timeouts = 0
            for round in -10..<rounds {  // 10 warm-up rounds
                let value = withUnsafeBytes(of: Int64(round).bigEndian) { Array($0) }
                let start = clock.now()
                nodes[0].ref.send(.propose(.consensusRegime, value))
                let deadline = start + 2_000_000_000
                while probe.count(value) < agents, clock.now() < deadline {
                    try? await Task.sleep(for: .microseconds(100))
                }
                guard let last = probe.last(value, expected: agents) else {
                    if round >= 0 { timeouts += 1 }
                    continue
                }
                if round >= 0 { latencies.append(last &- start) }
            }
            var costs: [UInt64] = []
            for node in nodes { costs += await node.actor.heartbeatCostsNs() }
            let heartbeatBytes = WireHeader.fixedSize + "perf-0".utf8.count + 9 + WireHeader.tagSize
            for node in nodes { await node.stop() }
            nodes.removeAll()
            return ConsensusReport(
                agents: agents, rounds: rounds, completed: latencies.count, timeouts: timeouts,
                decision: Percentiles(latencies),
                heartbeat: .init(intervalMs: heartbeatIntervalMs, messageBytes: heartbeatBytes, roundTrip: Percentiles(costs)),
                pubsubBaseline: baseline, redis: redis == nil ? "private redis-server" : configuration.description)
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
    }

    private static func waitForMembers(_ nodes: [ClusterNode]) async throws(ConsensusBenchmarkError) {
        let deadline = Date().addingTimeInterval(10)
        var seen = 0
        while Date() < deadline {
            seen = Int.max
            for node in nodes { seen = min(seen, await node.actor.status().members.count) }
            if seen == nodes.count { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        throw .membersNotSeen(expected: nodes.count, seen: seen)
    }

    /// PUBLISH → message delivered to a subscriber thread, same machine, same Redis.
    static func pubsubBaseline(_ configuration: RedisConfiguration, samples: Int) throws(ConsensusBenchmarkError) -> Percentiles {
        let channel = "perf:ping:\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
        let clock = MonotonicClock()
        let arrivals = Mutex<[UInt64]>([])
        let arrived = DispatchSemaphore(value: 0)
        let subscribed = DispatchSemaphore(value: 0)
        let subscriber: RedisSubscriber
        do {
            subscriber = try RedisSubscriber(configuration: configuration, channels: [channel]) { event in
                switch event {
                case .subscribed: subscribed.signal()
                case .message:
                    arrivals.withLock { $0.append(clock.now()) }  // stamped on the subscriber thread
                    arrived.signal()
                default: break
                }
            }
        } catch { throw .redis("\(error)") }
        defer { subscriber.stop() }
        guard subscribed.wait(timeout: .now() + 5) == .success else { throw .redis("SUBSCRIBE not confirmed within 5 s") }
        let publisher = RedisConnection(configuration: configuration)
        var latencies: [UInt64] = []
        for index in 0..<samples {
            let start = clock.now()
            do { try publisher.command(["PUBLISH", RedisArgument(channel), "x"]) } catch { throw .redis("\(error)") }
            guard arrived.wait(timeout: .now() + 2) == .success else { break }
            guard let arrival = arrivals.withLock({ $0.count > index ? $0[index] : nil }) else { break }
            latencies.append(arrival &- start)
        }
        return Percentiles(latencies)
    }

    private static func cleanUp(_ configuration: RedisConfiguration, namespace: String) {
        let keys = ClusterKeys(namespace: namespace)
        let connection = RedisConnection(configuration: configuration)
        _ = try? connection.command(["DEL", RedisArgument(keys.proposalStream), RedisArgument(keys.decisionStream),
                                     RedisArgument(keys.fencingCounter)])
    }
}

/// Apply times of each proposal value, per agent (thread-safe).
final class ApplyProbe: Sendable {
    private let times = Mutex<[[UInt8]: [UInt64]]>([:])

    func record(_ value: [UInt8], at ns: UInt64) { times.withLock { $0[value, default: []].append(ns) } }
    func count(_ value: [UInt8]) -> Int { times.withLock { $0[value]?.count ?? 0 } }

    /// The last apply time once `expected` agents applied, else `nil`.
    func last(_ value: [UInt8], expected: Int) -> UInt64? {
        times.withLock { all in
            guard let list = all[value], list.count >= expected else { return nil }
            return list.max()
        }
    }
}
