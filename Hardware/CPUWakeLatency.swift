import Foundation
import Synchronization

/// A limit on how long any CPU may take to wake from idle, held through the kernel's PM QoS
/// interface (`/dev/cpu_dma_latency`, Documentation/power/pm_qos_interface.rst) for as long
/// as this value lives.
///
/// An idle CPU sleeps in a C-state, and in a virtual machine it halts the vCPU, a VM exit:
/// waking it for a message then costs the exit, the host's scheduling of the vCPU and the
/// re-entry. Every hop of a cluster decision wakes parked threads (Redis, readers, actors),
/// so these costs add up along it. With a limit of 0 µs the cpuidle governor keeps idle
/// CPUs polling (state `POLL`) instead; tuned's `latency-performance` profile sets the same
/// limit. The price is power: idle cores spin. Measured here (2-vCPU VM with the
/// `haltpoll` idle driver, `perf consensus`, 3 agents): decision p50 514 → 317 µs, p99
/// 915 → 454 µs.
///
/// The kernel keeps the strictest limit among its holders and drops this one when the file
/// descriptor closes (``release()``, deinit, or the process exiting).
public final class CPUWakeLatencyHold: Sendable {
    /// The PM QoS device of CPU wake-up latency.
    public static let defaultPath = "/dev/cpu_dma_latency"

    /// The limit held, µs.
    public let microseconds: Int32
    /// Where it is held.
    public let path: String
    private let descriptor: Int32
    private let released = Atomic<Bool>(false)

    /// Writes `microseconds` to `path` and keeps the file open.
    /// - Throws: `HardwareError.wakeLatencyUnavailable` naming the path and the reason
    ///   (no such file: the kernel has no PM QoS; permission denied: needs root).
    public init(microseconds: Int32, path: String = defaultPath) throws(HardwareError) {
        guard microseconds >= 0 else {
            throw .wakeLatencyUnavailable(path: path, reason: "limit \(microseconds) µs is negative")
        }
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .wakeLatencyUnavailable(path: path, reason: String(cString: strerror(errno)))
        }
        var value = microseconds
        let written = withUnsafeBytes(of: &value) { write(descriptor, $0.baseAddress, $0.count) }
        guard written == MemoryLayout<Int32>.size else {
            let reason = written < 0 ? String(cString: strerror(errno)) : "short write (\(written) of 4 bytes)"
            close(descriptor)
            throw .wakeLatencyUnavailable(path: path, reason: reason)
        }
        self.microseconds = microseconds
        self.path = path
        self.descriptor = descriptor
    }

    /// Stops holding the limit (idempotent).
    public func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        close(descriptor)
    }

    /// Whether ``release()`` was called.
    public var isReleased: Bool { released.load(ordering: .acquiring) }

    deinit { release() }

    /// The limit in force now (the strictest of all holders), µs; `nil` if the file cannot be
    /// read. With no holder the kernel reports its default (2,000,000,000).
    public static func current(path: String = defaultPath) -> Int32? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var value: Int32 = 0
        let count = withUnsafeMutableBytes(of: &value) { read(descriptor, $0.baseAddress, $0.count) }
        return count == MemoryLayout<Int32>.size ? value : nil
    }
}
