// `quantum-agent config check FILE` and `quantum-agent config print [FILE] [--effective]`.

import ArgumentParser
import Foundation

/// `config`: check and print configurations.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check or print the agent's YAML configuration.",
        subcommands: [ConfigCheckCommand.self, ConfigPrintCommand.self]
    )
}

/// `config check FILE`: loads the file (with environment overrides) and lists every problem.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a configuration file; exit 2 listing every problem (key path, value, what is allowed)."
    )

    @Argument(help: "The YAML file.")
    var file: String

    @Flag(help: "Ignore QUANTUM_AGENT_… environment overrides.")
    var noEnvironment = false

    @Flag(help: "Print the result as one JSON document.")
    var json = false

    func run() throws {
        let environment = noEnvironment ? [:] : ProcessInfo.processInfo.environment
        do {
            let loaded = try AgentConfiguration.load(file: file, environment: environment)
            if json {
                EvalExit.printJSON(ConfigCheckReport(file: file, valid: true, issues: [], error: nil,
                                                     alertRules: loaded.alertRules.count))
            } else {
                print("ok: \(file) is valid (environment \(loaded.environment), \(loaded.alertRules.count) alert rules)")
            }
        } catch {
            if json {
                EvalExit.printJSON(ConfigCheckReport(file: file, valid: false, issues: error.issues,
                                                     error: error.issues.isEmpty ? error.description : nil,
                                                     alertRules: 0))
                throw ExitCode(2)
            }
            EvalExit.fail(error.description)
        }
    }
}

/// The JSON output of `config check --json`.
struct ConfigCheckReport: Codable {
    var file: String
    var valid: Bool
    var issues: [ConfigIssue]
    /// Unreadable file or YAML syntax error.
    var error: String?
    var alertRules: Int
}

/// `config print`: the configuration as documented YAML, secrets redacted.
struct ConfigPrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print a configuration as documented YAML (secrets redacted).",
        discussion: """
            Without FILE: the embedded defaults. With --effective: after QUANTUM_AGENT_… environment overrides \
            (QUANTUM_AGENT_<SECTION>__<KEY>, nesting by a double underscore).
            """
    )

    @Argument(help: "A YAML file to load over the defaults.")
    var file: String?

    @Flag(help: "Apply QUANTUM_AGENT_… environment overrides (what `run` would use).")
    var effective = false

    @Flag(help: "Omit the documentation comments.")
    var noDocs = false

    func run() throws {
        let environment = effective ? ProcessInfo.processInfo.environment : [:]
        do {
            let loaded: AgentConfiguration
            if let file {
                loaded = try AgentConfiguration.load(file: file, environment: environment)
            } else {
                loaded = try AgentConfiguration.load(yamlText: "", source: "<defaults>", environment: environment)
            }
            print(loaded.yaml(redact: true, documented: !noDocs), terminator: "")
        } catch {
            EvalExit.fail(error.description)
        }
    }
}
