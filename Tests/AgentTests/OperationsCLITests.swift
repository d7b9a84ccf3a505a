// `quantum-agent config …` and `token issue` run as the built binary.

import Foundation
import Testing
@testable import Agent

/// Output of one run of the binary.
typealias OperationsRun = AgentRun

/// Runs `.build/debug/quantum-agent` with `arguments`, without the caller's `QUANTUM_AGENT_*` variables.
func runQuantumAgent(_ arguments: [String], environment: [String: String] = [:]) throws -> OperationsRun {
    try AgentBinary.run(arguments, environment: environment, base: .withoutAgentVariables)
}

/// Test setup failures.
enum OperationsTestError: Error, CustomStringConvertible {
    case binaryMissing(String)
    var description: String {
        switch self {
        case .binaryMissing(let path): return "\(path) is missing: run `swift build` first"
        }
    }
}

/// Writes `text` to a temporary file and returns its path.
func temporaryFile(_ text: String, name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("qa-ops-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("Operations: config and token CLI")
struct OperationsCLITests {
    @Test func configCheckAcceptsTheSeedFile() throws {
        let path = try temporaryFile(try operationsFixture("seed_full_config.yaml"), name: "seed.yaml")
        let run = try runQuantumAgent(["config", "check", path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(json?["valid"] as? Bool == true)
        #expect(json?["alertRules"] as? Int == 3)
    }

    @Test func configCheckExitsTwoNamingTheBrokenKey() throws {
        let broken = try operationsFixture("seed_production_config.yaml")
            .replacingOccurrences(of: "concept_drift_threshold: 0.1", with: "concept_drift_threshold: high")
        let path = try temporaryFile(broken, name: "broken.yaml")
        let run = try runQuantumAgent(["config", "check", path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("modules.online_learning.concept_drift_threshold: high is not allowed; expected a number in 0...1"))
        let json = try runQuantumAgent(["config", "check", path, "--json"])
        #expect(json.status == 2)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let issues = object?["issues"] as? [[String: Any]]
        #expect(issues?.first?["path"] as? String == "modules.online_learning.concept_drift_threshold")
    }

    @Test func configCheckOfAMissingFileExitsTwo() throws {
        let run = try runQuantumAgent(["config", "check", "/nonexistent/qa.yaml"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot read configuration file /nonexistent/qa.yaml"))
    }

    @Test func configPrintEffectiveAppliesOverridesAndRedactsSecrets() throws {
        let run = try runQuantumAgent(["config", "print", "--effective"], environment: [
            "QUANTUM_AGENT_MODULES__MULTI_AGENT__REDIS_HOST": "redis.internal",
            "QUANTUM_AGENT_REDIS__PASSWORD": "hunter2",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("redis_host: \"redis.internal\""))
        #expect(run.stdout.contains("password: \"<redacted>\""))
        #expect(!run.stdout.contains("hunter2"))
        let plain = try runQuantumAgent(["config", "print"], environment: [
            "QUANTUM_AGENT_MODULES__MULTI_AGENT__REDIS_HOST": "redis.internal",
        ])
        #expect(plain.stdout.contains("redis_host: \"localhost\""))
    }

    @Test func deployProductionConfigPassesConfigCheck() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Deploy/production_config.yaml").standardized.path
        let run = try runQuantumAgent(["config", "check", path])
        #expect(run.status == 0, "\(run.stderr)")
    }
}

/// Runs the binary on a dispatch thread, so the cooperative pool stays free for an in-process server.
func runQuantumAgentAsync(_ arguments: [String], environment: [String: String] = [:]) async throws -> OperationsRun {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try runQuantumAgent(arguments, environment: environment) })
        }
    }
}

@Suite("Operations: token and inspect against a running control plane")
struct OperationsInspectCLITests {
    @Test func tokenIssuePrintsAVerifiableTokenAsItsLastLine() async throws {
        let run = try await runQuantumAgentAsync(["token", "issue", "--role", "operator", "--ttl", "24h", "--subject", "ops"],
                                                 environment: ["QUANTUM_AGENT_JWT_SECRET": operationsSecret])
        #expect(run.status == 0, "\(run.stderr)")
        let token = try #require(run.stdout.split(separator: "\n").last.map(String.init))
        let authority = await TokenAuthority(secret: operationsSecret, issuer: "quantum-agent")
        let identity = try await authority.verify(token)
        #expect(identity == ControlIdentity(subject: "ops", role: .operator))
        let noKey = try await runQuantumAgentAsync(["token", "issue", "--role", "admin"])
        #expect(noKey.status == 2)
        #expect(noKey.stderr.contains("no JWT key"))
        let badTTL = try await runQuantumAgentAsync(["token", "issue", "--role", "admin", "--ttl", "soon"],
                                                    environment: ["QUANTUM_AGENT_JWT_SECRET": operationsSecret])
        #expect(badTTL.status == 2)
    }

    @Test func inspectJSONReadsTheRunningAgent() async throws {
        let s = try await OperationsServer.start()
        defer { Task { await s.server.stop() } }
        let token = try await s.token(.viewer)
        let run = try await runQuantumAgentAsync(["inspect", "--url", "http://127.0.0.1:\(s.port)", "--token", token, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let snapshot = try JSONDecoder().decode(InspectSnapshot.self, from: Data(run.stdout.utf8))
        #expect(snapshot.actors.map(\.name) == ["market", "risk"])
        #expect(snapshot.alerts.map(\.rule) == ["model_drift_detected"])
        #expect(snapshot.executors.count >= 1)

        let actor = try await runQuantumAgentAsync(["inspect", "actor", "market", "--url", "http://127.0.0.1:\(s.port)",
                                                    "--token", token])
        #expect(actor.status == 0, "\(actor.stderr)")
        #expect(actor.stdout.contains("processed      10"))

        let table = try await runQuantumAgentAsync(["inspect", "--url", "http://127.0.0.1:\(s.port)", "--token", token])
        #expect(table.stdout.contains("ALERTS (1 open)"))

        let refused = try await runQuantumAgentAsync(["inspect", "--url", "http://127.0.0.1:\(s.port)", "--token", "bad"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("refused the token (HTTP 401)"))
    }

    @Test func inspectSaysClearlyWhenTheAgentIsUnreachable() async throws {
        let run = try await runQuantumAgentAsync(["inspect", "--url", "http://127.0.0.1:9", "--json"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot reach the agent at http://127.0.0.1:9"))
    }
}
