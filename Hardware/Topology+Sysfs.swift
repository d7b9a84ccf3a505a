import CNuma
import Foundation
import Logging

extension Topology {
    /// Reads the topology from a directory shaped like `/sys` (`devices/system/cpu`,
    /// `devices/system/node`). A missing node directory means one node (0).
    /// - Parameter sysfsRoot: `/sys`, or a fixture directory with the same layout.
    /// - Throws: `HardwareError` naming the file that is missing or malformed.
    public static func load(sysfsRoot: String) throws(HardwareError) -> Topology {
        let cpuDir = sysfsRoot + "/devices/system/cpu"
        let online = try CPUList.parse(try readFile(cpuDir + "/online"), source: cpuDir + "/online")
        guard !online.isEmpty else { throw .noCores }
        let isolatedPath = cpuDir + "/isolated"
        let isolated = Set(try CPUList.parse((try? readFile(isolatedPath)) ?? "", source: isolatedPath))

        var nodeOfCPU: [Int: Int] = [:]
        let nodeDir = sysfsRoot + "/devices/system/node"
        if let nodeOnline = try? readFile(nodeDir + "/online") {
            for node in try CPUList.parse(nodeOnline, source: nodeDir + "/online") {
                let listPath = "\(nodeDir)/node\(node)/cpulist"
                for cpu in try CPUList.parse(try readFile(listPath), source: listPath) { nodeOfCPU[cpu] = node }
            }
        }

        var cpus: [CPU] = []
        var caches: [Cache] = []
        for id in online {
            let topo = "\(cpuDir)/cpu\(id)/topology"
            let siblingsPath = topo + "/thread_siblings_list"
            let siblings = (try? readFile(siblingsPath)).map { try? CPUList.parse($0, source: siblingsPath) } ?? nil
            cpus.append(CPU(
                id: id,
                node: nodeOfCPU[id] ?? 0,
                coreID: (try? readInt(topo + "/core_id")) ?? id,
                package: (try? readInt(topo + "/physical_package_id")) ?? 0,
                siblings: siblings ?? [id],
                isolated: isolated.contains(id)
            ))
            caches.append(contentsOf: readCaches(cpuDir: "\(cpuDir)/cpu\(id)/cache"))
        }
        var unique: [Cache] = []
        for cache in caches where !unique.contains(cache) { unique.append(cache) }
        return Topology(cpus: cpus, caches: unique, numaAvailable: false)
    }

    /// The topology of this machine, from `/sys` cross-checked with libnuma. Never fails:
    /// when `/sys` cannot be read it logs why and falls back to one node with
    /// `sysconf(_SC_NPROCESSORS_ONLN)` CPUs.
    public static func current(logger: Logger = Logger(label: "quantum-agent.hardware")) -> Topology {
        var topology: Topology
        do {
            topology = try load(sysfsRoot: "/sys")
        } catch {
            let count = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            logger.warning("topology from /sys unavailable, assuming one node", metadata: [
                "error": "\(error)", "cpus": "\(count)",
            ])
            topology = Topology(
                cpus: (0..<count).map { CPU(id: $0, node: 0, coreID: $0, package: 0, siblings: [$0], isolated: false) },
                caches: [], numaAvailable: false)
        }
        if numa_available() >= 0 {
            topology.numaAvailable = true
            for index in topology.cpus.indices {
                let node = numa_node_of_cpu(Int32(topology.cpus[index].id))
                if node >= 0 { topology.cpus[index].node = Int(node) }
            }
        }
        return topology
    }

    private static func readCaches(cpuDir: String) -> [Cache] {
        var result: [Cache] = []
        var index = 0
        while let level = try? readInt("\(cpuDir)/index\(index)/level") {
            let base = "\(cpuDir)/index\(index)"
            let type = ((try? readFile(base + "/type")) ?? "Unified").trimmingCharacters(in: .whitespacesAndNewlines)
            let shared = (try? readFile(base + "/shared_cpu_list")).flatMap { try? CPUList.parse($0) } ?? []
            result.append(Cache(level: level, type: type, sizeBytes: (try? readFile(base + "/size")).flatMap(parseSize), cpus: shared))
            index += 1
        }
        return result
    }

    /// `32K` → 32768, `1024K`, `32M`; nil when unparseable.
    static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let last = trimmed.last else { return nil }
        let multiplier: Int
        switch last {
        case "K", "k": multiplier = 1024
        case "M", "m": multiplier = 1024 * 1024
        case "G", "g": multiplier = 1024 * 1024 * 1024
        default: return Int(trimmed)
        }
        return Int(trimmed.dropLast()).map { $0 * multiplier }
    }

    private static func readFile(_ path: String) throws(HardwareError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableTopology(path: path, reason: "\(error.localizedDescription)")
        }
    }

    private static func readInt(_ path: String) throws(HardwareError) -> Int {
        let text = try readFile(path).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int(text) else { throw .unreadableTopology(path: path, reason: "'\(text)' is not an integer") }
        return value
    }
}
