import ArgumentParser

/// `quantum-agent eval …`: run a module's algorithms over a CSV file and print JSON.
/// Each subcommand lives in its own file in this folder.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate the modules' algorithms on a CSV file (JSON on stdout; bad input: exit 2).",
        subcommands: [EvalRegimeCommand.self, EvalDriftCommand.self, EvalLearnCommand.self, EvalMonitorCommand.self]
    )
}
