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
    /// Pause after each round, ms. With 0 the next proposal goes out as soon as every agent
    /// applied the last, while the agents are still acknowledging it (decisions back to
    /// back); a pause measures decisions that do not queue behind each other.
    public var pauseMs: Int

    public init(agents: Int = 3, rounds: Int = 200, redis: RedisConfiguration? = nil, heartbeatIntervalMs: Int = 100,
                idleStrategy: IdleStrategy = .park, pauseMs: Int = 0) {
        self.agents = agents
        self.rounds = rounds
        self.redis = redis
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.idleStrategy = idleStrategy
        self.pauseMs = pauseMs
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
        let streamBaseline = try Self.streamBaseline(configuration, samples: max(rounds, 100))
        let key: WireKey
        do { key = try WireKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255) }, source: "perf") } catch { throw .join("\(error)") }
        let namespace = "perf:\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
        let probe = ApplyProbe(expected: agents)
        var nodes: [ClusterNode] = []
        let protocolConfiguration = CoordinationConfiguration(
            heartbeatIntervalMs: heartbeatIntervalMs, heartbeatTimeoutMs: 3 * heartbeatIntervalMs, consensusThreshold: 0.75,
            agentTimeoutMs: max(5 * heartbeatIntervalMs, 1000), proposalTimeoutMs: 2000, leaseTTLMs: 3 * heartbeatIntervalMs)
        for index in 0..<agents {
            let settings = CoordinationSettings(agentID: "perf-\(index)", redis: configuration, key: key,
                                                protocolConfiguration: protocolConfiguration, namespace: namespace)
            let hooks = CoordinationHooks(
                onEvent: { event, ns in
                    if case let .decisionApplied(decision) = event { probe.record(decision.value, of: decision.proposal, at: ns) }
                },
                onStage: { stage, id, ns in probe.record(stage, of: id, at: ns) })
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
            let measured = try await Self.drive(nodes, rounds: rounds, pauseMs: pauseMs, probe: probe)
            var costs: [UInt64] = []
            for node in nodes { costs += await node.actor.heartbeatCostsNs() }
            let heartbeatBytes = WireHeader.fixedSize + "perf-0".utf8.count + 9 + WireHeader.tagSize
            for node in nodes { await node.stop() }
            nodes.removeAll()
            return ConsensusReport(
                agents: agents, rounds: rounds, completed: measured.latencies.count, timeouts: measured.timeouts,
                decision: Percentiles(measured.latencies), stages: measured.stages,
                heartbeat: .init(intervalMs: heartbeatIntervalMs, messageBytes: heartbeatBytes, roundTrip: Percentiles(costs)),
                pubsubBaseline: baseline, streamBaseline: streamBaseline,
                redis: redis == nil ? "private redis-server" : configuration.description,
                idleStrategy: idleStrategy.rawValue, pauseMs: pauseMs)
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
    }

    /// What the measured rounds produced.
    struct Rounds: Sendable {
        var latencies: [UInt64] = []
        var timeouts = 0
        var stages: [ConsensusReport.StageTime] = []
    }

    /// Runs 10 warm-up and `rounds` measured rounds one after another on a plain thread
    /// (agent 0 proposes, the thread waits on a semaphore until every agent applied, so
    /// no polling competes with the agents for the two cores), sleeping `pauseMs` after each.
    private static func drive(_ nodes: [ClusterNode], rounds: Int, pauseMs: Int, probe: ApplyProbe) async throws(ConsensusBenchmarkError) -> Rounds {
        let agents = nodes.count
        let proposer = nodes[0].ref
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Rounds, Never>) in
            _ = PerfThread(name: "qa-perf-consensus", core: nil) {
                let clock = MonotonicClock()
                var result = Rounds()
                var timelines: [[ConsensusStage: UInt64]] = []
                for round in -10..<rounds {
                    let value = withUnsafeBytes(of: Int64(round).bigEndian) { Array($0) }
                    let start = clock.now()
                    proposer.send(.propose(.consensusRegime, value))
                    let deadline = DispatchTime.now() + .seconds(2)
                    while probe.count(value) < agents, probe.arrived.wait(timeout: deadline) == .success {}
                    if pauseMs > 0 { usleep(useconds_t(pauseMs) * 1000) }
                    guard let last = probe.last(value, expected: agents) else {
                        if round >= 0 { result.timeouts += 1 }
                        continue
                    }
                    guard round >= 0 else { continue }
                    result.latencies.append(last &- start)
                    if let timeline = probe.timeline(value, since: start) { timelines.append(timeline) }
                }
                result.stages = ConsensusStage.allCases.compactMap { stage in
                    let times = timelines.compactMap { $0[stage] }
                    return times.isEmpty ? nil : ConsensusReport.StageTime(stage: stage.rawValue, since: Percentiles(times))
                }
                continuation.resume(returning: result)
            }
        }
        return result
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

    /// XADD → entry delivered to a consumer thread blocked in XREADGROUP, same Redis:
    /// the floor of one hop of a decision.
    static func streamBaseline(_ configuration: RedisConfiguration, samples: Int) throws(ConsensusBenchmarkError) -> Percentiles {
        let stream = "perf:stream:\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
        let clock = MonotonicClock()
        let arrivals = Mutex<[UInt64]>([])
        let arrived = DispatchSemaphore(value: 0)
        let connected = DispatchSemaphore(value: 0)
        let consumer: RedisStreamConsumer
        do {
            consumer = try RedisStreamConsumer(
                redis: configuration, consumer: .init(stream: stream, group: "g", consumer: "c", blockMs: 1000, groupStartID: "$")
            ) { event in
                switch event {
                case .connected: connected.signal()
                case let .entries(entries, _):
                    let now = clock.now()  // stamped on the consumer thread
                    arrivals.withLock { $0 += Array(repeating: now, count: entries.count) }
                    for _ in entries { arrived.signal() }
                case .disconnected: break
                }
            }
        } catch { throw .redis("\(error)") }
        let producer = RedisConnection(configuration: configuration)
        defer {
            consumer.stop()
            _ = try? producer.command(["DEL", RedisArgument(stream)])
        }
        guard connected.wait(timeout: .now() + 5) == .success else { throw .redis("stream consumer not connected within 5 s") }
        // The first XREADGROUP BLOCK is issued just after `connected`: let it reach Redis.
        Thread.sleep(forTimeInterval: 0.05)
        var latencies: [UInt64] = []
        for index in 0..<samples {
            let start = clock.now()
            do { _ = try producer.xadd(stream, maxLength: 1000, fields: [("m", [1])]) } catch { throw .redis("\(error)") }
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

/// Apply times of each proposal value and stage times of each proposal, per agent
/// (thread-safe); signals `arrived` when a value has been applied by every agent.
final class ApplyProbe: Sendable {
    private struct State {
        var applied: [[UInt8]: [UInt64]] = [:]
        var ids: [[UInt8]: ProposalID] = [:]
        var stages: [ProposalID: [ConsensusStage: [UInt64]]] = [:]
    }

    let expected: Int
    let arrived = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    init(expected: Int) { self.expected = expected }

    func record(_ value: [UInt8], of id: ProposalID, at ns: UInt64) {
        let complete = state.withLock { state -> Bool in
            state.ids[value] = id
            state.applied[value, default: []].append(ns)
            return state.applied[value]?.count == expected
        }
        if complete { arrived.signal() }
    }

    func record(_ stage: ConsensusStage, of id: ProposalID, at ns: UInt64) {
        state.withLock { $0.stages[id, default: [:]][stage, default: []].append(ns) }
    }

    func count(_ value: [UInt8]) -> Int { state.withLock { $0.applied[value]?.count ?? 0 } }

    /// The last apply time once `expected` agents applied, else `nil`.
    func last(_ value: [UInt8], expected: Int) -> UInt64? {
        state.withLock { state in
            guard let list = state.applied[value], list.count >= expected else { return nil }
            return list.max()
        }
    }

    /// For each stage of `value`'s proposal, the time the last agent reached it, ns after `start`.
    func timeline(_ value: [UInt8], since start: UInt64) -> [ConsensusStage: UInt64]? {
        state.withLock { state in
            guard let id = state.ids[value], let stages = state.stages[id] else { return nil }
            return stages.compactMapValues { times in times.max().map { $0 &- start } }
        }
    }
}
