import ArgumentParser
import Foundation
import Hardware

/// `quantum-agent topology`: what the planner sees of this machine.
struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Show CPUs, NUMA nodes, SMT siblings, caches and isolated CPUs."
    )

    @Option(help: "Read a directory shaped like /sys instead of this machine.")
    var sysfs: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        AgentLogging.bootstrap()
        let topology: Topology
        if let sysfs {
            do { topology = try Topology.load(sysfsRoot: sysfs) } catch {
                throw ValidationError("--sysfs \(sysfs): \(error)")
            }
        } else {
            topology = Topology.current()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(topology), as: UTF8.self))
            return
        }
        print(topology.summary)
        for node in topology.nodes { print("node \(node): CPUs \(CPUList.format(topology.cpus(onNode: node)))") }
        for cache in topology.caches.filter({ $0.level >= 2 }) {
            print("L\(cache.level) \(cache.type) \(cache.sizeBytes.map { "\($0 / 1024) KiB" } ?? "?"): CPUs \(CPUList.format(cache.cpus))")
        }
        // Which devices interrupt which CPU (this machine only): a critical core should get none.
        if sysfs == nil, let interrupts = DeviceInterrupts.current() {
            for cpu in topology.cpuIDs {
                let devices = interrupts.devices(on: cpu, minimum: 1000).prefix(5)
                guard !devices.isEmpty else { continue }
                print("CPU \(cpu) device interrupts since boot: " + devices.map { "\($0.device) \($0.count)" }.joined(separator: ", "))
            }
        }
        if sysfs == nil {
            // 2,000,000,000 µs is the kernel's "no limit"; `run` holds runtime.cpu_wake_latency_us.
            let limit = CPUWakeLatencyHold.current().map { $0 >= 2_000_000_000 ? "none" : "\($0) µs" } ?? "unknown (reading it needs root)"
            print("CPU wake-up latency limit in force (PM QoS \(CPUWakeLatencyHold.defaultPath)): \(limit)")
        }
    }
}
