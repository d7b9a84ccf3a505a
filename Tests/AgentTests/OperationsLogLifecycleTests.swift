// JSON logs (one object per line, written by the background writer) and the lifecycle
// (a signal → shutdown callback → services stopped).

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
@testable import Agent

@Suite("Operations: JSON logs and lifecycle")
struct OperationsLogLifecycleTests {
    @Test func everyLogCallBecomesOneJSONObjectPerLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qa-ops-log-\(UUID().uuidString).jsonl").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let writer = JSONLogWriter(output: handle, capacity: 1024)
        var logger = Logger(label: "quantum-agent.risk") { label in
            JSONLogHandler(label: label, writer: writer, level: .info)
        }
        logger[metadataKey: "agent"] = "a1"
        logger.info("order refused: \"collar\"\nsecond line", metadata: ["tick": "42", "decision": "7"])
        logger.debug("below the level")
        logger.error("journal slow", metadata: ["latency_ms": .stringConvertible(12.5), "ids": .array(["1", "2"])])
        writer.stop()
        try handle.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["level"] as? String == "info")
        #expect(first["logger"] as? String == "quantum-agent.risk")
        #expect(first["message"] as? String == "order refused: \"collar\"\nsecond line")
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(metadata["tick"] as? String == "42" && metadata["decision"] as? String == "7" && metadata["agent"] as? String == "a1")
        #expect((first["time"] as? String)?.hasSuffix("Z") == true)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect((second["metadata"] as? [String: Any])?["ids"] as? [String] == ["1", "2"])
        #expect(writer.written == 2 && writer.dropped == 0)
        #expect(writer.enqueue(.init(time: Date(), level: .info, label: "x", message: "after stop", metadata: [:],
                                     source: "t")) == false)
    }

    @Test func aSignalRunsTheShutdownCallbackAndStopsTheControlPlane() async throws {
        let agent = try await OperationsTestAgent.make()
        var configuration = ControlServerConfiguration()
        configuration.port = 0
        let server = ControlServer(configuration: configuration, plane: agent, authority: nil)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try server.makeApplication { continuation.yield($0) }
        let shutdowns = ShutdownCounter()
        let lifecycle = Task {
            try await AgentLifecycle.run(services: [app], logger: Logger(label: "test"), signals: [.sigusr2]) {
                await shutdowns.increment()
            }
        }
        var port = 0
        for await bound in ports {
            port = bound
            break
        }
        #expect(port > 0)
        kill(getpid(), SIGUSR2)
        try await lifecycle.value
        #expect(await shutdowns.count == 1)
        let after = try? await URLSession.shared.data(from: try #require(URL(string: "http://127.0.0.1:\(port)/health")))
        #expect(after == nil)
    }
}

/// Counts shutdown callbacks.
actor ShutdownCounter {
    private(set) var count = 0
    func increment() { count += 1 }
}
