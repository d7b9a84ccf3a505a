// Several Coordination actors in one process against a real redis-server, with short
// heartbeat intervals so membership changes take a few hundred milliseconds.

import Foundation
import Protocols
import Runtime
import Synchronization
@testable import Coordination

/// Events of one agent, with their monotonic times (thread-safe).
final class EventRecorder: Sendable {
    private let events = Mutex<[(event: CoordinationEvent, ns: UInt64)]>([])

    func record(_ event: CoordinationEvent, _ ns: UInt64) { events.withLock { $0.append((event, ns)) } }

    var all: [(event: CoordinationEvent, ns: UInt64)] { events.withLock { $0 } }

    /// Decisions applied, in order.
    var applied: [Decision] {
        all.compactMap { if case let .decisionApplied(d) = $0.event { return d } else { return nil } }
    }

    /// Time of the first event matching `predicate`.
    func firstTime(where predicate: (CoordinationEvent) -> Bool) -> UInt64? {
        all.first { predicate($0.event) }?.ns
    }

    func contains(where predicate: (CoordinationEvent) -> Bool) -> Bool { firstTime(where: predicate) != nil }
}

/// Short timings for tests: heartbeats every 50 ms, eviction after 250 ms of silence.
let fastProtocol = CoordinationConfiguration(
    heartbeatIntervalMs: 50, heartbeatTimeoutMs: 250, consensusThreshold: 0.75, agentTimeoutMs: 600,
    emergencyCoordinationEnabled: true, proposalTimeoutMs: 1500, leaseTTLMs: 300)

let testKey: WireKey = {
    do { return try WireKey(bytes: Array(repeating: 0x5A, count: 32), source: "test") } catch { preconditionFailure("\(error)") }
}()

/// A running agent plus what it recorded.
struct TestAgent {
    let id: String
    let node: ClusterNode
    let events: EventRecorder
    var actor: CoordinationActor { node.actor }
    var gate: TradingGate { node.gate }
}

enum ClusterTestKit {
    /// Starts agents `ids` in namespace `namespace`.
    static func start(
        _ ids: [String], redis: RedisConfiguration, namespace: String, configuration: CoordinationConfiguration = fastProtocol,
        sharedBook: Bool = false, evaluate: @escaping @Sendable (String, Proposal) -> Bool = { _, _ in true }
    ) async throws -> [TestAgent] {
        var agents: [TestAgent] = []
        for id in ids {
            let events = EventRecorder()
            let settings = CoordinationSettings(agentID: id, redis: redis, key: testKey, protocolConfiguration: configuration,
                                                namespace: namespace, tickIntervalMs: 10, sharedBook: sharedBook)
            let hooks = CoordinationHooks(onEvent: { event, ns in events.record(event, ns) },
                                          evaluate: { proposal in evaluate(id, proposal) })
            agents.append(TestAgent(id: id, node: try await ClusterNode.start(settings, hooks: hooks), events: events))
        }
        return agents
    }

    /// Starts agents, runs `body`, stops them even when `body` throws.
    static func with(
        _ ids: [String], redis: RedisConfiguration, namespace: String, configuration: CoordinationConfiguration = fastProtocol,
        sharedBook: Bool = false, evaluate: @escaping @Sendable (String, Proposal) -> Bool = { _, _ in true },
        _ body: ([TestAgent]) async throws -> Void
    ) async throws {
        let agents = try await start(ids, redis: redis, namespace: namespace, configuration: configuration,
                                     sharedBook: sharedBook, evaluate: evaluate)
        do {
            try await body(agents)
        } catch {
            await stop(agents)
            throw error
        }
        await stop(agents)
    }

    static func stop(_ agents: [TestAgent]) async {
        for agent in agents { await agent.node.stop(leave: true) }
    }

    /// Polls (5 ms) until `condition` holds; gives up after `seconds` (a guard against
    /// hanging, not a timing assertion). Returns whether it held.
    @discardableResult
    static func eventually(seconds: Double = 30, _ condition: () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await condition()
    }

    /// Waits until every agent lists exactly `ids` as live members.
    static func waitForMembers(_ agents: [TestAgent], _ ids: [String], seconds: Double = 30) async -> Bool {
        await eventually(seconds: seconds) {
            for agent in agents where await agent.actor.status().members.map(\.id) != ids.sorted() { return false }
            return true
        }
    }

    static func now() -> UInt64 { MonotonicClock().now() }
}
