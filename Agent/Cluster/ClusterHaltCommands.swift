import ArgumentParser
import Coordination
import Foundation

/// `quantum-agent cluster halt --reason TEXT`: emergency halt of every agent.
struct ClusterHaltCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halt",
        abstract: "Raise an emergency halt: persisted in Redis and broadcast; every agent stops sending orders at once."
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Why (at most 1024 bytes; shown by `cluster status`).")
    var reason: String

    func validate() throws { try ClusterOptions.validate(reason: reason) }

    func run() {
        cluster.perform { inspector in
            let record = try inspector.halt(reason: reason)
            return ["halted": "true", "raised_by": record.raisedBy, "reason": record.reason]
        }
    }
}

/// `quantum-agent cluster resume --reason TEXT`: lift the emergency halt (operators only).
struct ClusterResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Lift the emergency halt: clears the persisted halt and broadcasts an operator resume."
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Why (at most 1024 bytes).")
    var reason: String

    func validate() throws { try ClusterOptions.validate(reason: reason) }

    func run() {
        cluster.perform { inspector in
            let wasHalted = try inspector.resume(reason: reason)
            return ["resumed": "true", "was_halted": wasHalted ? "true" : "false", "operator": inspector.operatorSender]
        }
    }
}

/// `quantum-agent cluster propose --topic T [--value V]` (hidden): put a proposal to the
/// agents' vote as an operator; its decision shows in `cluster status`.
struct ClusterProposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Put a proposal to the agents' vote (for tests and drills).",
        shouldDisplay: false
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "consensus_regime, risk_off, halt, resume, order_intent.")
    var topic: String

    @Option(help: "Value (UTF-8).")
    var value: String = ""

    func run() {
        guard let parsed = DecisionTopicName.parse(topic) else {
            EvalExit.fail("--topic '\(topic)': expected one of \(DecisionTopicName.all)")
        }
        cluster.perform { inspector in
            ["proposal": try inspector.propose(topic: parsed, value: Array(value.utf8)).description]
        }
    }
}
