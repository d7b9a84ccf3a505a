import ArgumentParser
import Foundation
import Hardware
import Perf
import Protocols

/// `quantum-agent perf consensus`: proposal → decision applied by every agent, p50/p99/max.
struct PerfConsensusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consensus",
        abstract: "Quorum decision latency with N agents on one Redis (own redis-server without --redis), beside the pub/sub round trip."
    )

    @Option(help: "Redis URL; without it a private redis-server runs on a free loopback port.")
    var redis: String?

    @Option(help: "Agents in this process (1...16).")
    var agents: Int = 3

    @Option(help: "Measured rounds (1...100000), after 10 warm-up rounds.")
    var rounds: Int = 200

    @Option(help: "Heartbeat interval of the agents, ms (10...10000).")
    var heartbeatIntervalMs: Int = 100

    @Option(help: "Idle strategy of the agents' executors: spin, spinThenPark, park.")
    var idle: String = "park"

    @Option(help: "Pause after each round, ms (0...1000); 0 proposes the next as soon as every agent applied the last.")
    var pauseMs: Int = 0

    // `.unconditional`: -1 would otherwise be taken for a flag.
    @Option(parsing: .unconditional,
            help: "Hold this CPU wake-up latency limit during the run, µs (PM QoS, needs root; the agent's runtime.cpu_wake_latency_us default is 0); -1 leaves the host's.")
    var cpuWakeLatencyUs: Int = 0

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    func validate() throws {
        guard (1...16).contains(agents) else { throw ValidationError("--agents \(agents): expected 1...16") }
        guard (1...100_000).contains(rounds) else { throw ValidationError("--rounds \(rounds): expected 1...100000") }
        guard (10...10_000).contains(heartbeatIntervalMs) else { throw ValidationError("--heartbeat-interval-ms \(heartbeatIntervalMs): expected 10...10000") }
        guard (-1...1_000_000).contains(cpuWakeLatencyUs) else {
            throw ValidationError("--cpu-wake-latency-us \(cpuWakeLatencyUs): expected -1...1000000")
        }
        guard (0...1000).contains(pauseMs) else { throw ValidationError("--pause-ms \(pauseMs): expected 0...1000") }
        do { _ = try IdleStrategy(parsing: idle) } catch { throw ValidationError("--idle: \(error)") }
        if let redis {
            do { _ = try Protocols.RedisConfiguration(url: redis) } catch { throw ValidationError("--redis: \(error)") }
        }
    }

    func run() async throws {
        AgentLogging.bootstrap(level: .error)
        let configuration = try redis.map { try Protocols.RedisConfiguration(url: $0) }
        let benchmark = ConsensusBenchmark(agents: agents, rounds: rounds, redis: configuration,
                                           heartbeatIntervalMs: heartbeatIntervalMs, idleStrategy: try IdleStrategy(parsing: idle),
                                           pauseMs: pauseMs)
        var hold: CPUWakeLatencyHold?
        if cpuWakeLatencyUs >= 0 {
            do {
                hold = try CPUWakeLatencyHold(microseconds: Int32(cpuWakeLatencyUs))
            } catch {
                FileHandle.standardError.write(Data("perf consensus: \(error); measuring with the host's setting\n".utf8))
            }
        }
        defer { hold?.release() }
        var report: ConsensusReport
        do {
            report = try await benchmark.run()
        } catch {
            ClusterExit.failure("perf consensus: \(error)")
        }
        report.cpuWakeLatencyUs = hold.map { Int($0.microseconds) }
        if json {
            EvalExit.printJSON(report)
            return
        }
        func us(_ ns: UInt64) -> String { String(format: "%.1f µs", Double(ns) / 1000) }
        print("perf consensus: \(report.agents) agents (\(report.idleStrategy) executors), \(report.completed)/\(report.rounds) rounds decided, "
              + "\(report.pauseMs == 0 ? "back to back" : "\(report.pauseMs) ms apart"), \(report.redis), "
              + "CPU wake-up latency \(report.cpuWakeLatencyUs.map { "held at \($0) µs" } ?? "the host's")")
        print("decision (proposal → applied by every agent): p50 \(us(report.decision.p50Ns))  p99 \(us(report.decision.p99Ns))  max \(us(report.decision.maxNs))")
        print("pub/sub baseline (PUBLISH → subscriber):       p50 \(us(report.pubsubBaseline.p50Ns))  p99 \(us(report.pubsubBaseline.p99Ns))  max \(us(report.pubsubBaseline.maxNs))")
        print("stream baseline (XADD → XREADGROUP thread):  p50 \(us(report.streamBaseline.p50Ns))  p99 \(us(report.streamBaseline.p99Ns))  max \(us(report.streamBaseline.maxNs))")
        if !report.stages.isEmpty {
            print("stages (last agent to reach each, since the proposal was sent):")
            for stage in report.stages {
                let name = stage.stage.padding(toLength: 18, withPad: " ", startingAt: 0)
                print("  \(name) p50 \(us(stage.since.p50Ns))  p99 \(us(stage.since.p99Ns))")
            }
        }
        print("heartbeat every \(report.heartbeat.intervalMs) ms, \(report.heartbeat.messageBytes) B signed, round trip p50 \(us(report.heartbeat.roundTrip.p50Ns)) p99 \(us(report.heartbeat.roundTrip.p99Ns))")
    }
}
