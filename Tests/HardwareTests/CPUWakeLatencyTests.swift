import Foundation
import Testing
@testable import Hardware

@Suite("CPU wake-up latency held through PM QoS")
struct CPUWakeLatencyTests {
    func temporaryFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qa-pmqos-\(UUID().uuidString)").path
        try #require(FileManager.default.createFile(atPath: path, contents: Data()))
        return path
    }

    @Test("the limit is written as the kernel expects it (a native 32-bit integer) and read back; release is idempotent")
    func writesTheLimit() throws {
        let path = try temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hold = try CPUWakeLatencyHold(microseconds: 20, path: path)
        #expect(FileManager.default.contents(atPath: path) == Data([20, 0, 0, 0]))
        #expect(CPUWakeLatencyHold.current(path: path) == 20)
        #expect(!hold.isReleased)
        hold.release()
        hold.release()
        #expect(hold.isReleased)
    }

    @Test("a missing device or a negative limit is an error naming the path and the reason")
    func errors() {
        #expect(throws: HardwareError.wakeLatencyUnavailable(path: "/nonexistent/cpu_dma_latency", reason: "No such file or directory")) {
            try CPUWakeLatencyHold(microseconds: 0, path: "/nonexistent/cpu_dma_latency")
        }
        #expect(throws: HardwareError.wakeLatencyUnavailable(path: "/dev/null", reason: "limit -1 µs is negative")) {
            try CPUWakeLatencyHold(microseconds: -1, path: "/dev/null")
        }
        #expect(CPUWakeLatencyHold.current(path: "/nonexistent/cpu_dma_latency") == nil)
        #expect(HardwareError.wakeLatencyUnavailable(path: "/dev/cpu_dma_latency", reason: "Permission denied").description
            == "cannot hold the CPU wake-up latency limit through /dev/cpu_dma_latency: Permission denied")
    }

    @Test("the kernel accepts a hold of 0 µs and enforces it while held",
          .enabled(if: access(CPUWakeLatencyHold.defaultPath, W_OK) == 0, "needs /dev/cpu_dma_latency writable (root)"))
    func kernelHold() throws {
        let hold = try CPUWakeLatencyHold(microseconds: 0)
        defer { hold.release() }
        #expect(CPUWakeLatencyHold.current() == 0)
    }
}
