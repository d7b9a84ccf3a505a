import Foundation
import Testing
@testable import Hardware

private let vmInterrupts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/proc-interrupts-2cpu-vm.txt").path

@Suite struct DeviceInterruptsTests {
    /// `/proc/interrupts` of the 2-vCPU VM these numbers were measured on: the virtio disk's
    /// queue is delivered to CPU 1 only, the network's receive queue to CPU 0.
    @Test func theVMsDiskInterruptsCPU1AndItsNetworkCPU0() throws {
        let text = try String(contentsOfFile: vmInterrupts, encoding: .utf8)
        let interrupts = try DeviceInterrupts.parse(text, source: vmInterrupts)
        #expect(interrupts.sources.count == 19)  // numbered lines only: LOC, RES, NMI… are skipped
        let cpu1 = interrupts.devices(on: 1, minimum: 1000)
        #expect(cpu1.first?.device == "virtio1-req.0" && cpu1.first?.irq == 36 && cpu1.first?.count == 3_281_411)
        #expect(cpu1.map(\.device) == ["virtio1-req.0", "virtio3-tx", "virtio0-stats", "virtio2-input.0"])  // ttyS0 (14) is under 1,000
        let cpu0 = interrupts.devices(on: 0, minimum: 1000)
        #expect(cpu0.map(\.device) == ["virtio3-rx", "virtio2-output.0", "virtio0-reporting_vq"])
        #expect(interrupts.sources.first { $0.irq == 24 }?.device == "ACPI:Ged")
        #expect(interrupts.devices(on: 7).isEmpty)
    }

    @Test func aLineWithFewerCountsThanCPUsKeepsWhatItHas() throws {
        let text = """
                   CPU0       CPU1       CPU2       CPU3
          0:         44          0          0          0   IO-APIC   2-edge      timer
         42:          5         17   PCI-MSI 524288-edge      nvme0q1
        ERR:          0
        """
        let interrupts = try DeviceInterrupts.parse(text, source: "inline")
        #expect(interrupts.sources.map(\.irq) == [0, 42])
        #expect(interrupts.sources[1].perCPU == [0: 5, 1: 17])
        #expect(interrupts.sources[1].device == "nvme0q1")
    }

    @Test func aMalformedHeaderOrLineNamesWhereItIs() {
        #expect(throws: HardwareError.unreadableTopology(path: "f", reason: "line 1: 'CPUx' is not a CPU column (expected CPU0 CPU1 …)")) {
            try DeviceInterrupts.parse("CPU0 CPUx\n 1: 3 4 x\n", source: "f")
        }
        #expect(throws: HardwareError.unreadableTopology(path: "f", reason: "line 1: no CPU column")) {
            try DeviceInterrupts.parse("\n 1: 3\n", source: "f")
        }
        #expect(throws: HardwareError.unreadableTopology(path: "f", reason: "line 3: IRQ 9 has no count")) {
            try DeviceInterrupts.parse("CPU0\n 1: 3 x y\n 9: lots\n", source: "f")
        }
    }

    /// The start-up report: a reserved CPU that is not isolated, or that devices interrupt, is
    /// named with both; an isolated CPU no device interrupts is not reported.
    @Test func hostInterferenceNamesWhatStillRunsOnAReservedCPU() throws {
        let sysfs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sys-16core-2node").path
        let topology = try Topology.load(sysfsRoot: sysfs)
        let isolated = try #require(topology.isolatedCPUs.first)
        let shared = try #require(topology.cpuIDs.first { !topology.isolatedCPUs.contains($0) })
        let interrupts = DeviceInterrupts(sources: [
            .init(irq: 36, device: "nvme0q3", perCPU: [shared: 50_000, isolated: 0]),
            .init(irq: 37, device: "eth0-rx-1", perCPU: [shared: 200]),
        ])
        #expect(HostInterference(cpu: isolated, topology: topology, interrupts: interrupts) == nil)
        let report = try #require(HostInterference(cpu: shared, topology: topology, interrupts: interrupts))
        #expect(!report.isolated && report.devices == ["nvme0q3 (IRQ 36, 50000 since boot)"])
        #expect(report.description.contains("CPU \(shared): not isolated") && report.description.contains("nvme0q3"))
        let noisyIsolated = DeviceInterrupts(sources: [.init(irq: 50, device: "eth1", perCPU: [isolated: 9_000])])
        #expect(HostInterference(cpu: isolated, topology: topology, interrupts: noisyIsolated)?.description
                    == "CPU \(isolated): device interrupts: eth1 (IRQ 50, 9000 since boot) (irqaffinity=, /proc/irq/N/smp_affinity)")
    }
}
