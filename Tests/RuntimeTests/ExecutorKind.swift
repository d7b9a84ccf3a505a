import Foundation
import Synchronization
import Hardware
@testable import Runtime

/// The two executors every executor test runs against.
enum ExecutorKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case pinned
    case deterministic

    var description: String { rawValue }

    func make(name: String, core: Int? = nil, idle: IdleStrategy = .spinThenPark) throws -> any ActorExecutor {
        switch self {
        case .pinned: return try PinnedExecutor(.init(name: name, core: core, idleStrategy: idle, spinIterations: 2000))
        case .deterministic: return DeterministicExecutor(name: name)
        }
    }
}

/// Runs deterministic executors until `condition` holds, or waits for pinned ones (bounded).
func pump(_ executors: [any ActorExecutor], until condition: () -> Bool, timeoutSeconds: Double = 30) {
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while !condition() && Date() < deadline {
        var ran = 0
        for executor in executors {
            if let deterministic = executor as? DeterministicExecutor { ran += deterministic.run() }
        }
        if ran == 0 { usleep(100) }
    }
}

/// An actor that records what it receives, on a given executor.
actor Recorder: SupervisedActor {
    nonisolated let executor: any ActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    var lastSequence: [Int]
    var outOfOrder = 0
    var count = 0
    var cpus = Set<Int>()

    init(executor: any ActorExecutor, producers: Int) {
        self.executor = executor
        lastSequence = Array(repeating: -1, count: producers)
    }

    func receive(_ message: SequencedMessage) {
        if message.sequence != lastSequence[message.producer] + 1 { outOfOrder += 1 }
        lastSequence[message.producer] = message.sequence
        count += 1
        if count % 4096 == 0, let cpu = Affinity.currentCPU { cpus.insert(cpu) }
    }

    func snapshot() -> Int { count }
    func restore(from snapshot: Int) { count = snapshot }
    func summary() -> (count: Int, outOfOrder: Int, last: [Int], cpus: Set<Int>) { (count, outOfOrder, lastSequence, cpus) }
    func currentCPU() -> Int? { Affinity.currentCPU }
}

struct SequencedMessage: Sendable {
    var producer: Int
    var sequence: Int
}

/// Awaits `body`, running deterministic executors on this thread meanwhile (their
/// jobs run only when pumped).
func awaitPumping<T: Sendable>(_ executors: [any ActorExecutor], _ body: @escaping @Sendable () async -> T) async -> T {
    let box = Mutex<T?>(nil)
    let task = Task {
        let value = await body()
        box.withLock { $0 = value }
    }
    pump(executors, until: { box.withLock { $0 != nil } })
    await task.value
    return box.withLock { $0 }!
}
