// `quantum-agent run` as a process: the control plane it starts on loopback (health, metrics,
// actors, models, pause with a real token, inspect), SIGTERM draining without loss into the
// journal, a port already taken, and cluster mode against the real redis-server.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
import Hardware
@testable import Agent

/// Polls `condition` every 20 ms for at most `seconds`, suspending between polls (never blocking a
/// thread of the cooperative pool, which the in-process servers of other suites need).
func waitFor(seconds: Double, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return try condition()
}

/// A running `quantum-agent run` process with its output collected.
final class LiveAgentProcess: Sendable {
    private let process: Process
    private let out = OutputBuffer()
    private let err = OutputBuffer()

    /// Starts `run` with `arguments` (`--http-port 0` unless given) and the test's environment.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: AgentBinary.url.path) else {
            throw OperationsTestError.binaryMissing(AgentBinary.url.path)
        }
        let process = Process()
        process.executableURL = AgentBinary.url
        process.arguments = ["run"] + arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUANTUM_AGENT_") }
        env.merge(environment) { $1 }
        process.environment = env
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let out = self.out, err = self.err
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { out.append(String(decoding: data, as: UTF8.self)) }
        }
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { err.append(String(decoding: data, as: UTF8.self)) }
        }
        try process.run()
        self.process = process
    }

    var stdout: String { out.text }
    var stderr: String { err.text }
    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }

    /// The control plane's port, read from the `control plane: http://host:port` line (nil after `seconds`).
    func port(within seconds: Double = 60) async -> Int? {
        var found: Int?
        _ = await waitFor(seconds: seconds) {
            guard let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("control plane: ") }),
                  let text = line.split(separator: ":").last, let port = Int(text) else { return !process.isRunning }
            found = port
            return true
        }
        return found
    }

    /// Sends `signal` and waits up to `seconds` for the exit; SIGKILL after that.
    /// - Returns: the exit status and the seconds it took (nil status: it had to be killed).
    func stop(signal: Int32 = SIGTERM, within seconds: Double = 10) async -> (status: Int32?, seconds: Double) {
        let start = Date()
        kill(process.processIdentifier, signal)
        let exited = await waitFor(seconds: seconds) { !process.isRunning }
        let elapsed = Date().timeIntervalSince(start)
        if !exited {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (nil, elapsed)
        }
        process.waitUntilExit()
        // Let the pipe readers take the last bytes.
        try? await Task.sleep(nanoseconds: 200_000_000)
        return (process.terminationStatus, elapsed)
    }

    /// Waits for the process to end by itself.
    func exit(within seconds: Double) async -> Int32? {
        guard await waitFor(seconds: seconds, { !process.isRunning }) else { return nil }
        process.waitUntilExit()
        try? await Task.sleep(nanoseconds: 200_000_000)
        return process.terminationStatus
    }

    /// Waits for the process to end by itself, blocking the calling thread (synchronous tests).
    func waitForExit(seconds: Double) -> Int32? {
        guard ClusterCLI.eventually(seconds: seconds, { !process.isRunning }) else { return nil }
        process.waitUntilExit()
        usleep(200_000)
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// HTTP against the live agent.
struct LiveAgentHTTP {
    let port: Int

    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws -> (status: Int, body: Data) {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw OperationsTestError.binaryMissing(path) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 20
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func json(_ path: String, token: String? = nil) async throws -> [String: Any] {
        let (_, data) = try await call("GET", path, token: token)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}

/// A temporary directory with a config that journals into it.
struct LiveAgentFiles {
    let directory: URL
    var journal: String { directory.appendingPathComponent("journal.sqlite").path }
    var config: String { directory.appendingPathComponent("agent.yaml").path }

    init(extraYAML: String = "") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("qa-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let yaml = """
            journal:
              path: \(directory.appendingPathComponent("journal.sqlite").path)
            modules:
              multi_agent:
                enabled: false
              model_monitoring:
                metrics_interval: 200
                alert_channels: [log]
            \(extraYAML)
            """
        try yaml.write(toFile: directory.appendingPathComponent("agent.yaml").path, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// The threads of process `pid`: name (`comm`) and the CPUs each may run on.
func agentThreads(pid: Int32) -> [(name: String, cpus: [Int])] {
    let tasks = "/proc/\(pid)/task"
    let ids = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
    return ids.compactMap { id in
        guard let comm = try? String(contentsOfFile: "\(tasks)/\(id)/comm", encoding: .utf8),
              let status = try? String(contentsOfFile: "\(tasks)/\(id)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }),
              let cpus = try? CPUList.parse(String(line.dropFirst("Cpus_allowed_list:".count))) else { return nil }
        return (comm.trimmingCharacters(in: .whitespacesAndNewlines), cpus)
    }
}

/// Counts the orders in a journal file with `quantum-agent journal export`.
func journalOrderCount(_ path: String) throws -> Int? {
    let export = try AgentBinary.run(["journal", "export", "--path", path, "--kind", "order"])
    guard export.status == 0 else { return nil }
    // CSV with a header line.
    return export.stdout.split(separator: "\n").count - 1
}

/// The order count of the last status line (`… orders N …`).
func statusOrders(_ stdout: String) -> Int? {
    guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix("ticks/s ") }),
          let range = line.range(of: "  orders ") else { return nil }
    return Int(line[range.upperBound...].prefix { $0.isNumber })
}

/// The summary's `ticks N, orders M` numbers.
func summaryOrders(_ stdout: String) -> Int? {
    guard let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("ticks ") && $0.contains(", orders ") }),
          let range = line.range(of: ", orders ") else { return nil }
    return Int(line[range.upperBound...].prefix { $0.isNumber })
}

/// `redis-cli` against `url` (redis://host:port); its stdout.
func redisCLI(_ url: String, _ arguments: [String]) -> String {
    let address = url.replacingOccurrences(of: "redis://", with: "").split(separator: "/").first.map(String.init) ?? ""
    let parts = address.split(separator: ":")
    guard parts.count == 2 else { return "" }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
    probe.arguments = ["-h", String(parts[0]), "-p", String(parts[1])] + arguments
    let out = Pipe()
    probe.standardOutput = out
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return "" }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    probe.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@Suite("quantum-agent run (process, HTTP on loopback)", .serialized)
struct RunCommandTests {
    @Test("the control plane serves the running agent; pause works with an operator token; SIGTERM drains into the journal")
    func controlPlaneAndGracefulStop() async throws {
        let files = try LiveAgentFiles()
        defer { files.remove() }
        let secret = ["QUANTUM_AGENT_JWT_SECRET": operationsSecret]
        let agent = try LiveAgentProcess(["--config", files.config, "--http-port", "0", "--log-format", "json"],
                                         environment: secret)
        let port = try #require(await agent.port(), "no control-plane line; stderr: \(agent.stderr.suffix(2000))")
        let http = LiveAgentHTTP(port: port)
        let viewer = try AgentBinary.run(["token", "issue", "--role", "viewer", "--ttl", "24h"], environment: secret)
        let viewerToken = try #require(viewer.stdout.split(separator: "\n").last.map(String.init), "\(viewer.stderr)")
        let token = try AgentBinary.run(["token", "issue", "--role", "operator", "--ttl", "24h"], environment: secret)
        let operatorToken = try #require(token.stdout.split(separator: "\n").last.map(String.init), "\(token.stderr)")

        // Some orders and one monitor evaluation first.
        #expect(await waitFor(seconds: 30) { (statusOrders(agent.stdout) ?? 0) > 0 }, "\(agent.stdout.suffix(600))")
        try await Task.sleep(nanoseconds: 600_000_000)

        let health = try await http.json("/health")
        let subsystems = (health["subsystems"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        for name in ["actor:latency-engine", "actor:regime", "actor:learning", "actor:monitoring", "actor:alerts",
                     "feed", "journal", "redis", "models"] {
            #expect(subsystems.contains(name), "missing \(name) in /health: \(subsystems)")
        }
        let (metricsStatus, metricsBody) = try await http.call("GET", "/metrics")
        #expect(metricsStatus == 200)
        let metrics = String(decoding: metricsBody, as: UTF8.self)
        #expect(metrics.contains("quantum_agent_ticks_per_second"), "\(metrics.prefix(500))")
        #expect(metrics.contains("quantum_agent_model_accuracy_ratio"))

        let actors = try await http.call("GET", "/api/actors", token: viewerToken)
        #expect(String(decoding: actors.body, as: UTF8.self).contains("latency-engine"))
        let models = try await http.json("/api/models", token: viewerToken)
        let model = (models["models"] as? [[String: Any]])?.first
        #expect(model?["name"] as? String == "ensemble")

        // Mutating routes: refused without a token, accepted with an operator token.
        let (anonymous, _) = try await http.call("POST", "/api/control/pause")
        #expect(anonymous == 401)
        let (paused, pausedBody) = try await http.call("POST", "/api/control/pause", token: operatorToken)
        #expect(paused == 200, "\(String(decoding: pausedBody, as: UTF8.self))")
        #expect(await waitFor(seconds: 30) { agent.stdout.contains("PAUSED") })
        let (resumed, _) = try await http.call("POST", "/api/control/resume", token: operatorToken)
        #expect(resumed == 200)

        // The inspector against the live agent.
        let inspect = try await runQuantumAgentAsync(["inspect", "--url", "http://127.0.0.1:\(port)", "--token", viewerToken, "--json"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let snapshot = try JSONDecoder().decode(InspectSnapshot.self, from: Data(inspect.stdout.utf8))
        #expect(snapshot.actors.map(\.name).contains("latency-engine"))

        // SIGTERM: stop the feed, drain, flush the journal, print the summary, exit 0. How long
        // that takes is not asserted (a loaded CI machine stretches it); 60 s only bounds a hang.
        let stopped = await agent.stop(signal: SIGTERM, within: 60)
        #expect(stopped.status == 0, "SIGTERM → no exit in \(stopped.seconds) s; stderr: \(agent.stderr.suffix(2000))")
        #expect(agent.stdout.contains("— summary —"))
        let orders = try #require(summaryOrders(agent.stdout), "\(agent.stdout.suffix(1000))")
        #expect(orders > 0)
        #expect(try journalOrderCount(files.journal) == orders, "every order the summary counts is in the journal")
        // Logs are JSON lines.
        let logLines = agent.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(!logLines.isEmpty)
        #expect(logLines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test("the engine's CPU is its own: every other thread of the agent runs on the other CPUs",
          .enabled(if: (Affinity.currentAffinity ?? []).count >= 2, "needs two CPUs"),
          arguments: [true, false])
    func criticalCPUIsReserved(pollOnEngine: Bool) async throws {
        let files = try LiveAgentFiles(extraYAML: "feeds:\n  poll_on_engine: \(pollOnEngine)")
        defer { files.remove() }
        let agent = try LiveAgentProcess(["--config", files.config, "--no-http", "--log-format", "json"])
        #expect(await waitFor(seconds: 30) { (statusOrders(agent.stdout) ?? 0) > 0 }, "\(agent.stdout.suffix(600))")
        // Threads started later (a Dispatch worker woken from the engine's thread inherits its
        // CPU) are moved by the next housekeeping sweep, so the layout is awaited, not sampled once.
        var layout: [(name: String, cpus: [Int])] = []
        let reserved = await waitFor(seconds: 30) {
            layout = agentThreads(pid: agent.pid)
            let engine = layout.filter { $0.name.hasPrefix("critical-") }
            guard engine.count == 1, let engineCPUs = engine.first?.cpus, engineCPUs.count == 1 else { return false }
            return layout.filter { !$0.name.hasPrefix("critical-") }.allSatisfy { Set($0.cpus).isDisjoint(with: engineCPUs) }
        }
        #expect(reserved, "threads and their CPUs: \(layout)")
        // Polled on the engine's thread, the synthetic feed has no thread of its own.
        #expect(layout.contains { $0.name == "feed" } == !pollOnEngine, "\(layout)")
        #expect(agent.stderr.contains("CPUs reserved for the critical executors"), "\(agent.stderr.suffix(1500))")
        let stopped = await agent.stop(signal: SIGTERM, within: 60)
        #expect(stopped.status == 0)
        #expect((summaryOrders(agent.stdout) ?? 0) > 0, "\(agent.stdout.suffix(600))")
    }

    @Test("a port already in use stops the agent with a clear error")
    func busyPortIsAClearError() async throws {
        let files = try LiveAgentFiles(), otherFiles = try LiveAgentFiles()
        defer {
            files.remove()
            otherFiles.remove()
        }
        let first = try LiveAgentProcess(["--config", files.config, "--http-port", "0", "--log-format", "text"])
        let port = try #require(await first.port())
        let second = try LiveAgentProcess(["--config", otherFiles.config, "--http-port", "\(port)", "--log-format", "text",
                                           "--duration", "30"])
        let status = await second.exit(within: 30)
        #expect(status == 1)
        #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(port)"), "\(second.stderr.suffix(1500))")
        #expect(!second.stderr.contains("USAGE"))
        _ = await first.stop()
    }

    @Test("bad flags exit 64 naming the flag")
    func badFlags() throws {
        let port = try AgentBinary.run(["run", "--http-port", "70000"])
        #expect(port.status == 64)
        #expect(port.stderr.contains("--http-port 70000"))
        let redis = try AgentBinary.run(["run", "--redis", "localhost:6379"])
        #expect(redis.status == 64)
        #expect(redis.stderr.contains("--redis"))
        let environmentURL = try AgentBinary.run(["run", "--cluster", "--no-http", "--duration", "1"],
                                                 environment: ["QUANTUM_AGENT_REDIS_URL": "localhost:6379"],
                                                 base: .withoutAgentVariables)
        #expect(environmentURL.status == 64)
        #expect(environmentURL.stderr.contains("QUANTUM_AGENT_REDIS_URL"), "\(environmentURL.stderr)")
    }

    @Test("cluster mode: the agent joins, and a cluster halt closes its order gate")
    func clusterMode() async throws {
        let redis = try ClusterTestRedis()
        defer { redis.stop() }
        let namespace = "run-\(UInt32.random(in: 0...UInt32.max))"
        let files = try LiveAgentFiles(extraYAML: """
            """)
        defer { files.remove() }
        var environment = ClusterCLI.environment()
        environment = environment.filter { $0.key.hasPrefix("QUANTUM_AGENT_CLUSTER_KEY") }
        environment["QUANTUM_AGENT_MODULES__MULTI_AGENT__CLUSTER"] = namespace
        environment["QUANTUM_AGENT_JWT_SECRET"] = operationsSecret
        environment["QUANTUM_AGENT_MODULES__MULTI_AGENT__HEARTBEAT_INTERVAL"] = "100"
        // Long enough that only a graceful leave (not expiry) removes the member within the test.
        environment["QUANTUM_AGENT_MODULES__MULTI_AGENT__HEARTBEAT_TIMEOUT_MS"] = "60000"
        environment["QUANTUM_AGENT_MODULES__MULTI_AGENT__AGENT_TIMEOUT_MS"] = "120000"
        let agent = try LiveAgentProcess(["--config", files.config, "--http-port", "0", "--log-format", "json",
                                          "--cluster", "--redis", redis.url, "--agent-id", "runner-1"],
                                         environment: environment)
        let port = try #require(await agent.port(), "stderr: \(agent.stderr.suffix(2000))")
        #expect(await waitFor(seconds: 30) {
            ClusterCLI.memberIDs((try? ClusterCLI.status(redis.url, namespace)) ?? [:]) == ["runner-1"]
        })
        let halt = try ClusterCLI.run(["cluster", "halt", "--reason", "test", "--redis", redis.url, "--namespace", namespace])
        #expect(halt.status == 0, "\(halt.stderr)")
        let http = LiveAgentHTTP(port: port)
        #expect(await waitFor(seconds: 30) { agent.stdout.contains("CLUSTER-HALT") })
        let health = try await http.json("/health")
        let redisCheck = (health["subsystems"] as? [[String: Any]])?.first { $0["name"] as? String == "redis" }
        #expect((redisCheck?["detail"] as? String)?.contains("halt") == true)
        // The halt alert went cluster-wide through the Redis alert channel (its history stream).
        #expect(await waitFor(seconds: 30) { redisCLI(redis.url, ["XRANGE", "\(namespace):alerts:history", "-", "+"]).contains("cluster_halt") })
        let resume = try ClusterCLI.run(["cluster", "resume", "--reason", "test", "--redis", redis.url, "--namespace", namespace])
        #expect(resume.status == 0, "\(resume.stderr)")
        // The gate reopens: the newest status line no longer says CLUSTER-HALT.
        #expect(await waitFor(seconds: 30) {
            agent.stdout.split(separator: "\n").last { $0.hasPrefix("ticks/s ") }.map { !$0.contains("CLUSTER-HALT") } ?? false
        })
        // An operator's HTTP halt halts the whole cluster.
        let admin = try AgentBinary.run(["token", "issue", "--role", "admin", "--ttl", "24h"],
                                        environment: ["QUANTUM_AGENT_JWT_SECRET": operationsSecret])
        let adminToken = try #require(admin.stdout.split(separator: "\n").last.map(String.init), "\(admin.stderr)")
        let (halted, haltBody) = try await http.call("POST", "/api/control/halt", token: adminToken, body: #"{"reason":"test halt"}"#)
        #expect(halted == 200, "\(String(decoding: haltBody, as: UTF8.self))")
        #expect(await waitFor(seconds: 30) { (try? ClusterCLI.status(redis.url, namespace))?["halted"] as? Bool == true })
        let (resumeLocal, _) = try await http.call("POST", "/api/control/resume", token: adminToken)
        #expect(resumeLocal == 409, "an operator halt is not lifted by resume")
        let stopped = await agent.stop(within: 60)
        #expect(stopped.status == 0, "\(agent.stderr.suffix(2000))")
        // It left the cluster on the way out (its member key would otherwise live 60 s).
        #expect(await waitFor(seconds: 30) {
            ClusterCLI.memberIDs((try? ClusterCLI.status(redis.url, namespace)) ?? [:]).isEmpty
        })
    }
}
