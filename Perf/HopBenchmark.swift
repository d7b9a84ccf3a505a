import CLinuxShim
import Dispatch
import Hardware
import Histogram
import Runtime
import Synchronization

/// `quantum-agent perf hop`: the cost of one message hop between two parties, by
/// transport, measured in one run so the cases compare on the same noisy machine.
///
/// Each case is a ping-pong with one message in flight (so latency is not queueing)
/// for `seconds`, the first 10 % discarded as warm-up. One-way latency is the
/// receiver's clock minus the sender's stamp (one CLOCK_MONOTONIC for all cores).
public struct HopBenchmark: Sendable {
    /// Case names, in the order they run.
    public static let caseNames = [
        "ring.cross-core", "channel.cross-core", "channel.same-core",
        "actor.pinned.cross-core", "actor.pinned.same-core", "actor.default",
    ]

    public var seconds: Double
    public var idleStrategy: IdleStrategy
    /// The two CPUs used for cross-core cases.
    public var cpus: (Int, Int)

    /// - Parameters:
    ///   - seconds: duration of each case, > 0.
    ///   - idleStrategy: of the pinned executors (`spin` shows the floor).
    ///   - topology: the two highest CPUs are used; one CPU means both sides share it.
    public init(seconds: Double, idleStrategy: IdleStrategy = .spin, topology: Topology) {
        self.seconds = seconds
        self.idleStrategy = idleStrategy
        let ids = topology.cpuIDs
        cpus = ids.count >= 2 ? (ids[ids.count - 2], ids[ids.count - 1]) : (ids.first ?? 0, ids.first ?? 0)
    }

    private var window: (recordFrom: UInt64, stopAt: UInt64) {
        let start = MonotonicClock().now()
        let total = UInt64(seconds * 1e9)
        return (start + total / 10, start + total)
    }

    private var sameCPUNote: String? { cpus.0 == cpus.1 ? "one CPU: both sides share CPU \(cpus.0)" : nil }

    /// Runs the named cases (all by default) in order.
    /// - Throws: `RuntimeError` if an executor or ring cannot be created.
    public func run(cases: [String] = HopBenchmark.caseNames) async throws -> [HopResult] {
        var results: [HopResult] = []
        for name in cases {
            switch name {
            case "ring.cross-core": results.append(try ringCrossCore())
            case "channel.cross-core": results.append(try await channel(name: name, sameCore: false))
            case "channel.same-core": results.append(try await channel(name: name, sameCore: true))
            case "actor.pinned.cross-core": results.append(try await pinnedActors(name: name, sameCore: false))
            case "actor.pinned.same-core": results.append(try await pinnedActors(name: name, sameCore: true))
            case "actor.default": results.append(await defaultActors())
            default: continue
            }
        }
        return results
    }

    /// The floor: a raw SPSC ring each way between two pinned, busy-spinning threads.
    func ringCrossCore() throws -> HopResult {
        let forward = try SPSCRing<UInt64>(capacity: 1024)
        let backward = try SPSCRing<UInt64>(capacity: 1024)
        let (recordFrom, stopAt) = window
        let done = Atomic<Bool>(false)
        let answerer = Mutex(HopRecording())
        let caller = Mutex(HopRecording())
        let start = MonotonicClock().now()
        withExtendedLifetime(done) {
            let echo = PerfThread(name: "hop-echo", core: cpus.1) { [forward, backward] in
                var recording = HopRecording()
                while true {
                    if let stamp = forward.pop() {
                        let now = qa_monotonic_ns()
                        if stamp >= recordFrom { recording.oneWay.recordClamped(now &- stamp); recording.hops &+= 1 }
                        while !backward.push(qa_monotonic_ns()) { qa_cpu_relax() }
                    } else if done.load(ordering: .acquiring) {
                        break
                    } else {
                        qa_cpu_relax()
                    }
                }
                let result = recording
                answerer.withLock { $0 = result }
            }
            let ping = PerfThread(name: "hop-ping", core: cpus.0) { [forward, backward] in
                var recording = HopRecording()
                while true {
                    let sent = qa_monotonic_ns()
                    if sent >= stopAt { break }
                    while !forward.push(sent) { qa_cpu_relax() }
                    var answered: UInt64? = backward.pop()
                    while answered == nil { qa_cpu_relax(); answered = backward.pop() }
                    let back = qa_monotonic_ns()
                    if sent >= recordFrom, let answered {
                        recording.oneWay.recordClamped(back &- answered)
                        recording.roundTrip.recordClamped(back &- sent)
                        recording.hops &+= 1
                    }
                }
                done.store(true, ordering: .releasing)
                let result = recording
                caller.withLock { $0 = result }
            }
            ping.join()
            echo.join()
        }
        return merge("ring.cross-core", caller.withLock { $0 }, answerer.withLock { $0 }, from: max(start, recordFrom), to: stopAt)
    }

    /// Two actors exchanging messages through each other's `Channel`.
    func channel(name: String, sameCore: Bool) async throws -> HopResult {
        let first = try PinnedExecutor(.init(name: "hop-a", core: cpus.0, idleStrategy: idleStrategy))
        let second = sameCore ? first : try PinnedExecutor(.init(name: "hop-b", core: cpus.1, idleStrategy: idleStrategy))
        defer {
            first.shutdown()
            second.shutdown()
        }
        let (recordFrom, stopAt) = window
        let toA = try Channel<HopMessage>(.init(name: "to-a", capacity: 1024, overflow: .reject, producers: .single))
        let toB = try Channel<HopMessage>(.init(name: "to-b", capacity: 1024, overflow: .reject, producers: .single))
        let a = ChannelHopActor(executor: first, peer: toB, recordFrom: recordFrom, stopAt: stopAt)
        let b = ChannelHopActor(executor: second, peer: toA, recordFrom: recordFrom, stopAt: stopAt)
        let handle = ExecutorThreadCall<ChannelHopActor, HopMessage, Void, Never> { actor, message in actor.handle(message) }
        toA.bind(to: first) { message in handle(a, message) }
        toB.bind(to: second) { message in handle(b, message) }
        toB.send(HopMessage(stamp: MonotonicClock().now()))
        while !(a.isFinished || b.isFinished) {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        toA.close()
        toB.close()
        let note = sameCore ? "both actors on one executor, CPU \(cpus.0)" : sameCPUNote
        return merge(name, await a.result(), await b.result(), from: recordFrom, to: stopAt, note: note)
    }

    /// `await` ping-pong between actors on pinned executors.
    func pinnedActors(name: String, sameCore: Bool) async throws -> HopResult {
        let first = try PinnedExecutor(.init(name: "hop-a", core: cpus.0, idleStrategy: idleStrategy))
        let second = sameCore ? first : try PinnedExecutor(.init(name: "hop-b", core: cpus.1, idleStrategy: idleStrategy))
        defer {
            first.shutdown()
            second.shutdown()
        }
        let (recordFrom, stopAt) = window
        let driver = PinnedPingDriver(executor: first)
        let target = PinnedPingTarget(executor: second, recordFrom: recordFrom)
        let calls = await driver.drive(target, recordFrom: recordFrom, stopAt: stopAt)
        let note = sameCore ? "both actors on one executor, CPU \(cpus.0)" : sameCPUNote
        return merge(name, calls, await target.result(), from: recordFrom, to: stopAt, note: note)
    }

    /// The same ping-pong on Swift's default executor (the cooperative pool).
    func defaultActors() async -> HopResult {
        let (recordFrom, stopAt) = window
        let driver = DefaultPingDriver()
        let target = DefaultPingTarget(recordFrom: recordFrom)
        let calls = await driver.drive(target, recordFrom: recordFrom, stopAt: stopAt)
        return merge("actor.default", calls, await target.result(), from: recordFrom, to: stopAt, note: nil)
    }

    private func merge(_ name: String, _ a: HopRecording, _ b: HopRecording, from: UInt64, to: UInt64, note: String? = nil) -> HopResult {
        var oneWay = a.oneWay
        oneWay.add(b.oneWay)
        var roundTrip = a.roundTrip
        roundTrip.add(b.roundTrip)
        return HopResult(name: name, oneWay: oneWay, roundTrip: roundTrip.totalCount > 0 ? roundTrip : nil,
                         hops: a.hops + b.hops, elapsedNanos: to > from ? to - from : 0, note: note)
    }
}
