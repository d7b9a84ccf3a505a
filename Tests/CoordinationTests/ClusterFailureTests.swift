import TestSupport
import Foundation
import Protocols
import Runtime
import Testing
@testable import Coordination

@Suite("Coordination actors through Redis failures (private redis-server)", .serialized)
struct ClusterFailureTests {
    /// A private server with an append-only file, so a restart keeps streams, groups and
    /// the fencing counter (the production setting for the cluster's Redis).
    func withPersistentRedis(_ body: (RedisServerProcess) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qa-redis-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try RedisServerProcess(persistenceDirectory: directory)
        defer { server.stop() }
        try await body(server)
    }

    @Test("Redis restarted mid-run: agents reconnect, every committed decision is applied once by every agent")
    func redisRestartLosesNothing() async throws {
        try await withPersistentRedis { server in
            let ns = "restart"
            try await ClusterTestKit.with(["a", "b", "c"], redis: server.configuration, namespace: ns) { agents in
                #expect(await ClusterTestKit.waitForMembers(agents, ["a", "b", "c"]))
                var proposed: [ProposalID] = []
                for round in 0..<8 {
                    if round == 4 {
                        try server.restart()
                        #expect(await ClusterTestKit.waitForMembers(agents, ["a", "b", "c"]))
                    }
                    let id = await agents[round % 3].actor.propose(topic: .consensusRegime, value: Array("r\(round)".utf8))
                    proposed.append(id)
                    _ = await ClusterTestKit.eventually(seconds: 30) { agents.allSatisfy { $0.events.applied.contains { $0.proposal == id } } }
                }
                let committed = try Self.committedDecisions(server.configuration, namespace: ns)
                #expect(committed.count >= 7, "at most the proposal in flight during the restart may be lost, not decided")
                #expect(await ClusterTestKit.eventually(seconds: 30) {
                    agents.allSatisfy { agent in committed.allSatisfy { id in agent.events.applied.contains { $0.proposal == id } } }
                })
                for agent in agents {
                    let applied = agent.events.applied.map(\.proposal)
                    #expect(Set(applied).count == applied.count, "\(agent.id) applied a decision twice: \(applied)")
                    let tokens = agent.events.applied.map(\.fencingToken)
                    #expect(tokens == tokens.sorted() && Set(tokens).count == tokens.count, "tokens must strictly increase: \(tokens)")
                }
                #expect(agents.allSatisfy { $0.events.contains { $0 == .memberJoined("a") || $0 == .memberJoined("b") } })
            }
        }
    }

    /// Approved decisions in the decision stream (distinct proposals).
    static func committedDecisions(_ redis: RedisConfiguration, namespace: String) throws -> Set<ProposalID> {
        let reply = try RedisConnection(configuration: redis).command(["XRANGE", RedisArgument(ClusterKeys(namespace: namespace).decisionStream), "-", "+"])
        let decisions = ClusterInspector.decisions(fromRange: reply, codec: WireCodec(key: testKey))
        return Set(decisions.filter { $0.outcome == .approved }.map(\.proposal))
    }

    @Test("an agent without Redis for agent_timeout_ms halts its own trading and rejoins when Redis is back")
    func selfHaltAndRejoin() async throws {
        try await withPersistentRedis { server in
            try await ClusterTestKit.with(["solo"], redis: server.configuration, namespace: "selfhalt") { agents in
                let agent = agents[0]
                #expect(await ClusterTestKit.eventually { agent.events.contains { $0 == .becameLeader } })
                #expect(agent.gate.isTradingAllowed)
                let cutAt = ClusterTestKit.now()
                server.stop()
                #expect(await ClusterTestKit.eventually { agent.gate.isSelfHalted })
                let haltedAt = try #require(agent.events.firstTime { $0 == .selfHalted })
                print("self-halt \((haltedAt - cutAt) / 1_000_000) ms after Redis stopped (agent_timeout_ms \(fastProtocol.agentTimeoutMs))")
                #expect(haltedAt - cutAt >= UInt64(fastProtocol.agentTimeoutMs - fastProtocol.heartbeatIntervalMs) * 1_000_000)
                #expect(!agent.gate.isTradingAllowed && !agent.gate.isClusterHalted)
                try server.start()
                #expect(await ClusterTestKit.eventually { agent.events.contains { $0 == .rejoined } })
                #expect(await ClusterTestKit.eventually { agent.gate.isTradingAllowed })
                #expect(await agent.actor.counters().selfHalts == 1)
            }
        }
    }

    @Test("shared book: an order intent approved by a vote (a decision certificate) is executed by exactly one agent")
    func sharedBookExecutesAVotedIntentOnce() async throws {
        try await TestRedis.withAsync { redis in
            let ns = TestRedis.prefix("book-vote")
            try await ClusterTestKit.with(["a", "b", "c"], redis: redis, namespace: ns, sharedBook: true) { agents in
                #expect(await ClusterTestKit.waitForMembers(agents, ["a", "b", "c"]))
                let id = await agents[1].actor.propose(topic: .orderIntent, value: Array("BUY 2".utf8))
                #expect(await ClusterTestKit.eventually {
                    agents.contains { $0.events.contains { if case let .intentExecuted(d, false) = $0 { d.proposal == id } else { false } } }
                })
                try await Task.sleep(for: .milliseconds(300))
                let executions = agents.flatMap { $0.events.all }.filter { if case .intentExecuted = $0.event { true } else { false } }
                #expect(executions.count == 1)
                #expect(agents.allSatisfy { $0.events.applied.contains { $0.proposal == id } })
            }
        }
    }

    @Test("shared book: an intent left pending by a dead consumer is reclaimed (XAUTOCLAIM) and executed once")
    func sharedBookReclaimsDeadConsumersIntent() async throws {
        try await TestRedis.withAsync { redis in
            let ns = TestRedis.prefix("book")
            let keys = ClusterKeys(namespace: ns)
            try await ClusterTestKit.with(["a", "b"], redis: redis, namespace: ns, sharedBook: true) { agents in
                #expect(await ClusterTestKit.waitForMembers(agents, ["a", "b"]))
                let intent = Decision(
                    proposal: ProposalID(proposer: "ghost", number: 1), topic: .orderIntent, value: Array("BUY 1".utf8),
                    outcome: .approved, approvals: 3, rejections: 0, liveMembers: 3, fencingToken: 1_000_000)
                let bytes = try WireCodec(key: testKey).encode(WireMessage(
                    sender: "ghost", sequence: 1, timestampNs: WallClock.nowNanos(), payload: .decision(intent)))
                // Append and hand the entry to a consumer that then dies, atomically (no agent can take it first).
                let replies = try RedisConnection(configuration: redis).pipeline([
                    ["MULTI"],
                    ["XADD", RedisArgument(keys.decisionStream), "*", "m", RedisArgument(bytes: bytes)],
                    ["XREADGROUP", "GROUP", "executors", "ghost", "COUNT", "1", "STREAMS", RedisArgument(keys.decisionStream), ">"],
                    ["EXEC"],
                ])
                #expect(replies.last?.array?.count == 2)
                #expect(await ClusterTestKit.eventually {
                    agents.contains { $0.events.contains { $0 == .intentExecuted(intent, reclaimed: true) } }
                })
                try await Task.sleep(for: .milliseconds(300))
                let executions = agents.flatMap { $0.events.all }.filter { if case .intentExecuted = $0.event { true } else { false } }
                #expect(executions.count == 1)
                let pending = try RedisConnection(configuration: redis).command(["XPENDING", RedisArgument(keys.decisionStream), "executors"])
                #expect(pending.array?.first?.integer == 0)
            }
        }
    }
}
