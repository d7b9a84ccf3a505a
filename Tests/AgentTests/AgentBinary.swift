import Foundation
import Testing

/// What one run of the built `quantum-agent` binary printed and returned.
struct AgentRun {
    let status: Int32
    let stdout: String
    let stderr: String
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }
}

/// Runs `.build/debug/quantum-agent` for the CLI tests; records an issue (and returns
/// status -1) when the binary has not been built.
enum AgentBinary {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let url = root.appendingPathComponent(".build/debug/quantum-agent")

    /// The environment the binary starts from.
    enum EnvironmentBase {
        /// This process's environment.
        case inherit
        /// This process's environment without `QUANTUM_AGENT_*` (config overrides, keys, Redis URL).
        case withoutAgentVariables
        /// Nothing but what `environment` holds.
        case empty
    }

    /// Runs the binary to completion.
    /// - Parameters:
    ///   - environment: added to (and overriding) the `base` environment.
    ///   - prefix: a command that runs the binary (e.g. `ip netns exec NS`); the binary's path follows it.
    static func run(_ arguments: [String], environment: [String: String] = [:], base: EnvironmentBase = .inherit,
                    prefix: [String] = []) throws -> AgentRun {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            Issue.record("\(url.path) is missing: run `swift build` first")
            return AgentRun(status: -1, stdout: "", stderr: "")
        }
        let process = Process()
        if let command = prefix.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = Array(prefix.dropFirst()) + [url.path] + arguments
        } else {
            process.executableURL = url
            process.arguments = arguments
        }
        var env: [String: String]
        switch base {
        case .inherit: env = ProcessInfo.processInfo.environment
        case .withoutAgentVariables: env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUANTUM_AGENT_") }
        case .empty: env = [:]
        }
        process.environment = env.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return AgentRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                        stderr: String(decoding: stderr, as: UTF8.self))
    }
}
