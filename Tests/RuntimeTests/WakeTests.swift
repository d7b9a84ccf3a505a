import Foundation
import Synchronization
import Testing
import Hardware
@testable import Runtime

/// No lost wake-ups: every producer path that hands work to a parking executor wakes
/// it. The executors park with a one-hour timeout, so a lost wake-up is not hidden by
/// the timeout: the exchange stalls and the bounded wait below reports how far it got.
@Suite(.serialized) struct ParkWakeTests {
    /// One hour: a park that is not woken explicitly never ends within the test.
    static let noTimeout: Int64 = 3_600_000_000_000
    /// How long a stalled exchange is given before it counts as a lost wake-up.
    static let stallSeconds = 60.0

    static func parking(_ name: String, idle: IdleStrategy) throws -> PinnedExecutor {
        try PinnedExecutor(.init(name: name, idleStrategy: idle, spinIterations: 1, parkTimeoutNanos: noTimeout))
    }

    /// Polls `condition` (without blocking the cooperative thread) for up to `stallSeconds`.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(stallSeconds)
        while !condition() {
            if Date() > deadline { return false }
            try? await Task.sleep(nanoseconds: 200_000)
        }
        return true
    }

    @Test(arguments: [IdleStrategy.park, .spinThenPark])
    func channelPingPongBetweenParkingExecutorsLosesNoWakeUp(idle: IdleStrategy) async throws {
        let messages = 10_000
        let first = try Self.parking("wake-a", idle: idle)
        let second = try Self.parking("wake-b", idle: idle)
        defer {
            first.shutdown()
            second.shutdown()
        }
        let toA = try Channel<Int>(.init(name: "to-a", capacity: 16, producers: .single))
        let toB = try Channel<Int>(.init(name: "to-b", capacity: 16, producers: .multiple))
        let reached = Atomic<Int>(0)
        toA.bind(to: first) { value in
            reached.store(value, ordering: .releasing)
            if value < messages { toB.send(value + 1) }
        }
        toB.bind(to: second) { value in
            reached.store(value, ordering: .releasing)
            if value < messages { toA.send(value + 1) }
        }
        toA.send(1)
        let done = await Self.eventually { reached.load(ordering: .acquiring) == messages }
        #expect(done, "stalled at message \(reached.load(ordering: .acquiring)) of \(messages): a lost wake-up")
        // The executors really went to sleep between messages (else nothing was tested).
        #expect(first.parkCount + second.parkCount > UInt64(messages / 10))
        toA.close()
        toB.close()
    }

    /// The job path: `await` between actors on two parking executors (the Swift runtime
    /// enqueues each hop as a job).
    @Test(arguments: [IdleStrategy.park, .spinThenPark])
    func awaitPingPongBetweenParkingExecutorsLosesNoWakeUp(idle: IdleStrategy) async throws {
        let calls = 5_000
        let first = try Self.parking("wake-driver", idle: idle)
        let second = try Self.parking("wake-target", idle: idle)
        defer {
            first.shutdown()
            second.shutdown()
        }
        let target = WakeTarget(executor: second)
        let driver = WakeDriver(executor: first)
        let progress = WakeProgress()
        let task = Task { await driver.drive(target, calls: calls, progress: progress) }
        let done = await Self.eventually { progress.count.load(ordering: .acquiring) == calls }
        #expect(done, "stalled after \(progress.count.load(ordering: .acquiring)) of \(calls) calls: a lost wake-up")
        if done { #expect(await task.value == calls) }
        #expect(first.parkCount + second.parkCount > UInt64(calls / 10))
    }

    /// A plain thread sends one message at a time, after a random pause of 0–20 µs, and
    /// waits for its delivery: the sends land in every phase of the receiver's loop
    /// (spinning, between announcing the park and re-checking, inside the futex wait).
    @Test(arguments: WakeSource.allCases)
    func sendsAtRandomPhasesOfAParkAlwaysWake(source: WakeSource) async throws {
        let rounds = 20_000
        let executor = try Self.parking("wake-\(source)", idle: .spinThenPark)
        defer { executor.shutdown() }
        let delivered = Atomic<Int>(0)
        let send = try source.bind(to: executor) { delivered.add(1, ordering: .releasing) }
        let finished = Atomic<Bool>(false)
        let producer = Thread {
            var generator = SystemRandomNumberGenerator()
            let clock = MonotonicClock()
            let stallNanos = UInt64(Self.stallSeconds * 1e9)
            for round in 1...rounds {
                let pauseEnd = clock.now() &+ UInt64.random(in: 0...20_000, using: &generator)
                while clock.now() < pauseEnd {}
                send(round)
                let deadline = clock.now() &+ stallNanos
                while delivered.load(ordering: .acquiring) < round && clock.now() < deadline {}
                if delivered.load(ordering: .acquiring) < round { break }
            }
            finished.store(true, ordering: .releasing)
        }
        producer.start()
        // The producer gives up after one stalled round; wait a little longer than that.
        let deadline = Date().addingTimeInterval(Self.stallSeconds * 2)
        while !finished.load(ordering: .acquiring) && Date() < deadline { try await Task.sleep(nanoseconds: 1_000_000) }
        let completed = delivered.load(ordering: .acquiring)
        #expect(completed == rounds, "message \(completed + 1) of \(rounds) was not delivered: a lost wake-up")
        #expect(executor.parkCount > 0 && executor.wakeCount > 0)
    }
}

/// The producer paths into a parking executor's drainables.
enum WakeSource: String, CaseIterable, Sendable, CustomStringConvertible {
    case spscChannel, mpscChannel, mpmcChannel, conflatingChannel

    var description: String { rawValue }

    /// Binds a receiver of this kind to `executor` and returns its send function.
    func bind(to executor: PinnedExecutor, onDelivery: @escaping @Sendable () -> Void) throws -> @Sendable (Int) -> Void {
        switch self {
        case .spscChannel, .mpscChannel, .mpmcChannel:
            let configuration: ChannelConfiguration = switch self {
            case .spscChannel: .init(name: rawValue, capacity: 8, producers: .single)
            case .mpscChannel: .init(name: rawValue, capacity: 8, producers: .multiple)
            default: .init(name: rawValue, capacity: 8, overflow: .dropOldest)
            }
            let channel = try Channel<Int>(configuration)
            channel.bind(to: executor) { _ in onDelivery() }
            return { channel.send($0) }
        case .conflatingChannel:
            let channel = try ConflatingChannel<Int>(name: rawValue, keyCount: 4)
            channel.bind(to: executor) { _, _ in onDelivery() }
            return { channel.send($0, key: $0 % 4) }
        }
    }
}

actor WakeTarget {
    nonisolated let executor: PinnedExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    var calls = 0
    init(executor: PinnedExecutor) { self.executor = executor }
    func ping() -> Int {
        calls += 1
        return calls
    }
}

actor WakeDriver {
    nonisolated let executor: PinnedExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    init(executor: PinnedExecutor) { self.executor = executor }
    /// Calls `target.ping()` `calls` times, publishing the count after each answer.
    func drive(_ target: WakeTarget, calls: Int, progress: WakeProgress) async -> Int {
        var answered = 0
        for _ in 0..<calls {
            answered = await target.ping()
            progress.count.store(answered, ordering: .releasing)
        }
        return answered
    }
}

/// Calls answered so far, readable from the test while the driver runs.
final class WakeProgress: Sendable {
    let count = Atomic<Int>(0)
}
