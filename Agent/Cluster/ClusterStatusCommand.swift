import ArgumentParser
import Coordination
import Foundation
import Protocols

/// `quantum-agent cluster status [--redis URL] [--json]`.
struct ClusterStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Live members and heartbeat ages, the leader, the halt, the last decisions with their fencing tokens."
    )

    @OptionGroup var cluster: ClusterOptions

    @Flag(help: "Print one JSON document: {\"members\":[{\"id\",\"heartbeat_age_ms\"}],\"leader\",\"halted\",\"halt\",\"decisions\"}.")
    var json = false

    @Option(help: "Decisions to show (1...100).")
    var decisions: Int = 10

    func validate() throws {
        guard (1...100).contains(decisions) else { throw ValidationError("--decisions \(decisions): expected 1...100") }
    }

    func run() {
        AgentLogging.bootstrap()
        let inspector = cluster.inspector()
        let status: ClusterStatus
        do {
            status = try inspector.status(decisionCount: decisions)
        } catch {
            ClusterExit.failure("\(error)")
        }
        if json {
            EvalExit.printJSON(status)
        } else {
            print(Self.render(status))
        }
    }

    static func render(_ status: ClusterStatus) -> String {
        var lines = ["members: \(status.members.count) live"]
        for member in status.members { lines.append("  \(member.id)  heartbeat \(member.heartbeatAgeMs) ms ago") }
        lines.append("leader: \(status.leader ?? "none")")
        if let halt = status.halt {
            lines.append("halted: yes, by \(halt.raisedBy): \(halt.reason)")
        } else {
            lines.append("halted: no")
        }
        lines.append("decisions: \(status.decisions.count)")
        for d in status.decisions {
            lines.append("  \(d.id)  \(d.topic)  \(d.outcome)  token \(d.fencingToken)  approvals \(d.approvals)/\(d.liveMembers)")
        }
        return lines.joined(separator: "\n")
    }
}
