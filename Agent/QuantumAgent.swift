import ArgumentParser
import Logging

/// The `quantum-agent` binary.
@main
struct QuantumAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantum-agent",
        abstract: "A low-latency trading agent runtime: actors on pinned executors.",
        subcommands: [RunCommand.self, PerfCommand.self, EvalCommand.self, TopologyCommand.self, ConfigCommand.self, TokenCommand.self, InspectCommand.self, ClusterCommand.self, JournalCommand.self]
    )
}

/// Logging to stderr, once, for commands whose stdout is data.
enum AgentLogging {
    static func bootstrap(level: Logger.Level = .warning) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
