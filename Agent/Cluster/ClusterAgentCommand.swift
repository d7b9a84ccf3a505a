import ArgumentParser
import Coordination
import Foundation
import Protocols
import Synchronization

/// `quantum-agent cluster agent --agent-id ID` (hidden): joins the cluster and runs the
/// Coordination actor alone until SIGTERM/SIGINT (leaves gracefully) or SIGKILL, printing
/// one JSON line per event on stdout. Stands in for `run --cluster` in multi-process tests.
struct ClusterAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Join the cluster and print coordination events as JSON lines until stopped.",
        shouldDisplay: false
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .customLong("agent-id"), help: "This agent's identifier (unique in the cluster).")
    var agentID: String

    @Option(help: "heartbeat_interval, ms.") var heartbeatIntervalMs: Int = 1000
    @Option(help: "heartbeat_timeout_ms.") var heartbeatTimeoutMs: Int = 3000
    @Option(help: "agent_timeout_ms.") var agentTimeoutMs: Int = 5000
    @Option(help: "Proposal lifetime, ms.") var proposalTimeoutMs: Int = 2000
    @Option(help: "consensus_threshold, (0, 1].") var consensusThreshold: Double = 0.75
    @Flag(help: "multi_agent.shared_book: execute approved order intents once, reclaim a dead agent's.") var sharedBook = false

    func run() async throws {
        AgentLogging.bootstrap()
        let protocolConfiguration = CoordinationConfiguration(
            heartbeatIntervalMs: heartbeatIntervalMs, heartbeatTimeoutMs: heartbeatTimeoutMs,
            consensusThreshold: consensusThreshold, agentTimeoutMs: agentTimeoutMs, proposalTimeoutMs: proposalTimeoutMs,
            leaseTTLMs: max(3 * heartbeatIntervalMs, 300))
        let settings = CoordinationSettings(
            agentID: agentID, redis: cluster.redisConfiguration(), key: cluster.key(),
            protocolConfiguration: protocolConfiguration, namespace: cluster.namespace, sharedBook: sharedBook)
        do { try settings.validate() } catch { EvalExit.fail("\(error)") }
        let printer = EventPrinter()
        let node: ClusterNode
        do {
            node = try await ClusterNode.start(settings, hooks: CoordinationHooks(onEvent: { event, ns in printer.print(event, ns) }))
        } catch {
            ClusterExit.failure("\(error)")
        }
        printer.line(["event": "ready", "agent": agentID])
        await Self.waitForTermination()
        await node.stop(leave: true)
        printer.line(["event": "stopped", "agent": agentID])
    }

    /// Suspends until SIGTERM or SIGINT (polled every 50 ms; the handler only sets a flag).
    static func waitForTermination() async {
        signal(SIGTERM) { _ in TerminationFlag.raised.store(true, ordering: .releasing) }
        signal(SIGINT) { _ in TerminationFlag.raised.store(true, ordering: .releasing) }
        while !TerminationFlag.raised.load(ordering: .acquiring) {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// Set by the SIGTERM/SIGINT handler (async-signal-safe: one atomic store).
enum TerminationFlag {
    static let raised = Atomic<Bool>(false)
}

/// Prints events as JSON lines, one write per line (thread-safe).
final class EventPrinter: Sendable {
    private let lock = Mutex(())

    func line(_ fields: [String: String]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(fields) else { return }
        lock.withLock { _ in FileHandle.standardOutput.write(data + Data("\n".utf8)) }
    }

    func print(_ event: CoordinationEvent, _ ns: UInt64) {
        var fields: [String: String] = ["t_ns": "\(ns)"]
        switch event {
        case .started: fields["event"] = "started"
        case let .memberJoined(id): fields["event"] = "member_joined"; fields["member"] = id
        case let .memberRestarted(id): fields["event"] = "member_restarted"; fields["member"] = id
        case let .memberEvicted(id, silence): fields["event"] = "member_evicted"; fields["member"] = id; fields["silence_ns"] = "\(silence)"
        case let .decisionApplied(d): fields["event"] = "decision_applied"; fields["proposal"] = d.proposal.description; fields["token"] = "\(d.fencingToken)"
        case let .staleDecisionRefused(d, last): fields["event"] = "stale_decision"; fields["proposal"] = d.proposal.description; fields["last_applied"] = "\(last)"
        case let .decisionRejected(d): fields["event"] = "decision_rejected"; fields["proposal"] = d.proposal.description
        case let .proposalExpired(id): fields["event"] = "proposal_expired"; fields["proposal"] = id.description
        case let .halted(record): fields["event"] = "halted"; fields["reason"] = record.reason; fields["by"] = record.raisedBy
        case let .resumed(op): fields["event"] = "resumed"; fields["operator"] = op
        case let .resumeRefused(from): fields["event"] = "resume_refused"; fields["from"] = from
        case .selfHalted: fields["event"] = "self_halted"
        case .rejoined: fields["event"] = "rejoined"
        case .becameLeader: fields["event"] = "became_leader"
        case .lostLeadership: fields["event"] = "lost_leadership"
        case let .messageDropped(reason, sender): fields["event"] = "message_dropped"; fields["reason"] = reason.rawValue; fields["sender"] = sender ?? ""
        case let .intentExecuted(d, reclaimed): fields["event"] = "intent_executed"; fields["proposal"] = d.proposal.description; fields["reclaimed"] = "\(reclaimed)"
        }
        line(fields)
    }
}

/// Parses decision topic names as shown by `cluster status`.
enum DecisionTopicName {
    static var all: String { DecisionTopic.allCases.map(\.description).joined(separator: ", ") }
    static func parse(_ name: String) -> DecisionTopic? { DecisionTopic.allCases.first { $0.description == name } }
}
