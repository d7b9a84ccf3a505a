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

    static func run(_ arguments: [String]) throws -> AgentRun {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            Issue.record("\(url.path) is missing: run `swift build` first")
            return AgentRun(status: -1, stdout: "", stderr: "")
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
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
