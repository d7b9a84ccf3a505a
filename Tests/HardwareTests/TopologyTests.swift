import Foundation
import Testing
@testable import Hardware

private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/sys-16core-2node").path

@Suite struct TopologyTests {
    @Test func cpuListParsesRangesAndSingles() throws {
        #expect(try CPUList.parse("0-3,8,10-11\n") == [0, 1, 2, 3, 8, 10, 11])
        #expect(try CPUList.parse("") == [])
        #expect(CPUList.format([0, 1, 2, 5, 7, 8]) == "0-2,5,7-8")
    }

    @Test func cpuListRejectsGarbageNamingTheText() {
        #expect(throws: HardwareError.malformedCPUList(text: "3-1", source: "x")) { try CPUList.parse("3-1", source: "x") }
        #expect(throws: HardwareError.malformedCPUList(text: "a,b", source: "cpu list")) { try CPUList.parse("a,b") }
    }

    @Test func fixtureServerHas16CoresOn2Nodes() throws {
        let topology = try Topology.load(sysfsRoot: fixture)
        #expect(topology.cpus.count == 32)
        #expect(topology.physicalCoreCount == 16)
        #expect(topology.nodes == [0, 1])
        #expect(topology.cpus(onNode: 0) == Array(0...7) + Array(16...23))
        #expect(topology.cpus(onNode: 1) == Array(8...15) + Array(24...31))
        #expect(topology.cpu(3)?.siblings == [3, 19])
        #expect(topology.isolatedCPUs == Array(2...7) + Array(10...15) + Array(18...23) + Array(26...31))
        let l3 = try #require(topology.lastLevelCache(of: 9))
        #expect(l3.level == 3 && l3.sizeBytes == 32 * 1024 * 1024 && l3.cpus == Array(8...15) + Array(24...31))
        #expect(topology.summary == "16 cores (32 CPUs), 2 nodes, isolated 2-7,10-15,18-23,26-31")
    }

    @Test func missingSysfsNamesThePath() {
        #expect(throws: HardwareError.self) { try Topology.load(sysfsRoot: "/nonexistent-qa") }
        do {
            _ = try Topology.load(sysfsRoot: "/nonexistent-qa")
        } catch {
            #expect(error.description.contains("/nonexistent-qa/devices/system/cpu/online"))
        }
    }

    @Test func thisMachineHasAtLeastOneNodeAndItsCPUs() {
        let topology = Topology.current()
        #expect(!topology.cpus.isEmpty)
        #expect(topology.nodes.contains(0))
        #expect(topology.cpus.count == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test func cacheSizesParse() {
        #expect(Topology.parseSize("32K") == 32768)
        #expect(Topology.parseSize("32M\n") == 32 * 1024 * 1024)
        #expect(Topology.parseSize("x") == nil)
    }
}
