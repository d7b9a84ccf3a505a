// `runtime:` — how actors are placed on cores (the seed has no such section).

import Foundation
import Hardware

/// `runtime`: core placement and idle strategy of the pinned executors.
struct RuntimeConfiguration: ConfigSection {
    /// How actors get their cores.
    enum Placement: String, CaseIterable, Sendable {
        /// Latency-critical actors get a core each, the rest are packed (CorePlan.make).
        case automatic
        /// Every actor's cores come from `cores`; actors not listed are packed.
        case explicit
    }

    var placement = Placement.automatic
    var idleStrategy = IdleStrategy.spinThenPark
    /// Keep the agent's other threads off the CPUs of the latency-critical executors.
    var reserveCriticalCPUs = true
    /// Actor name → the cores it may run on (explicit placement).
    var cores: [String: [Int]] = [:]
    /// CPU wake-up latency limit held through PM QoS while the agent runs, µs (with hardware
    /// optimization); -1 leaves the host's setting.
    var cpuWakeLatencyUs = 0

    static var fields: [ConfigField<Self>] {
        [
            .choice("placement", \.placement, doc: "automatic (latency-critical actors get a core each) or explicit (from cores)."),
            .choice("idle_strategy", \.idleStrategy,
                    doc: "What an idle executor does: spin (lowest latency, burns the core), spinThenPark, park."),
            .bool("reserve_critical_cpus", \.reserveCriticalCPUs,
                  doc: "Keep every other thread of the agent off the CPUs of the latency-critical executors (with hardware optimization)."),
            .coreMap("cores", \.cores, doc: "Actor name → list of core numbers, e.g. market: [2]; used by explicit placement."),
            .int("cpu_wake_latency_us", \.cpuWakeLatencyUs, range: -1...1_000_000,
                 doc: "With hardware optimization, hold this CPU wake-up latency limit (PM QoS, /dev/cpu_dma_latency, needs root) "
                     + "while running: 0 keeps idle CPUs polling instead of sleeping; -1 leaves the host's setting."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if placement == .explicit, cores.isEmpty {
            context.report(path: ConfigContext.join(path, "cores"), value: "{}",
                           allowed: "at least one actor → cores entry when placement is explicit",
                           origin: "cross-field check")
        }
    }
}

extension ConfigField {
    /// A mapping from names to lists of non-negative integers (`market: [2, 3]`; `2` or `"2,3"` also accepted).
    static func coreMap(_ key: String, _ keyPath: WritableKeyPath<Root, [String: [Int]]>, doc: String) -> Self {
        let allowed = "a list of core numbers ≥ 0"
        return ConfigField(key: key, doc: doc, decode: { root, value, path, context in
            guard case .map(let entries) = value.kind else {
                if case .null = value.kind { root[keyPath: keyPath] = [:]; return }
                context.report(path: path, value: value, allowed: "a mapping of actor name → " + allowed)
                return
            }
            var result: [String: [Int]] = [:]
            for entry in entries {
                let entryPath = ConfigContext.join(path, entry.key)
                let texts: [String]
                switch entry.value.kind {
                case .list(let items):
                    texts = items.map { item in if case .scalar(let t) = item.kind { return t } else { return "?" } }
                case .scalar(let text):
                    texts = text.split(separator: ",").map { String($0) }
                default:
                    context.report(path: entryPath, value: entry.value, allowed: allowed)
                    continue
                }
                let parsed = texts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                    context.report(path: entryPath, value: entry.value, allowed: allowed)
                    continue
                }
                result[entry.key] = parsed.compactMap { $0 }
            }
            root[keyPath: keyPath] = result
        }, render: { root, _ in
            .mapping(root[keyPath: keyPath].sorted { $0.key < $1.key }.map { name, cores in
                RenderedField(key: name, doc: "", value: .inlineList(cores.map(String.init)))
            })
        })
    }
}
