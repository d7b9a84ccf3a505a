import ArgumentParser
import Coordination
import Foundation
import Protocols

/// Options every `cluster` subcommand shares: where Redis is and which cluster.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Redis URL redis://[user[:password]@]host:port[/db] (default: $QUANTUM_AGENT_REDIS_URL, else redis://127.0.0.1:6379).")
    var redis: String?

    @Option(help: "Redis key namespace of the cluster (modules.multi_agent.cluster of `run`).")
    var namespace: String = "quantum-agent"

    /// The Redis configuration, or exit 2 naming the bad URL.
    func redisConfiguration() -> Protocols.RedisConfiguration {
        let url = redis ?? ProcessInfo.processInfo.environment["QUANTUM_AGENT_REDIS_URL"] ?? "redis://127.0.0.1:6379"
        do {
            return try Protocols.RedisConfiguration(url: url)
        } catch {
            EvalExit.fail("--redis: \(error)")
        }
    }

    /// The shared key from the environment or key file, or exit 2 saying how to set it.
    func key() -> WireKey {
        do {
            return try WireKey.load()
        } catch {
            EvalExit.fail("cluster key: \(error)")
        }
    }

    /// An inspector on this cluster, signing as the operator.
    func inspector() -> ClusterInspector {
        ClusterInspector(redis: redisConfiguration(), key: key(), namespace: namespace, operatorName: Self.operatorName)
    }

    /// Runs one operator action on the cluster and prints its result as JSON; a failure
    /// (Redis unreachable, refused) exits 1 with one stderr line.
    func perform(_ action: (inout ClusterInspector) throws -> [String: String]) {
        AgentLogging.bootstrap()
        var inspector = inspector()
        do {
            EvalExit.printJSON(try action(&inspector))
        } catch {
            ClusterExit.failure("\(error)")
        }
    }

    /// Checks an operator's `--reason`: 1 to 1024 bytes.
    static func validate(reason: String) throws {
        guard !reason.isEmpty, reason.utf8.count <= 1024 else { throw ValidationError("--reason: expected 1...1024 bytes") }
    }

    /// The operator's name for signed operator messages.
    static var operatorName: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["QUANTUM_AGENT_OPERATOR"] ?? environment["USER"] ?? "cli"
    }
}

/// Exit 1 for a runtime failure (Redis unreachable …), with one stderr line.
enum ClusterExit {
    static func failure(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }
}
