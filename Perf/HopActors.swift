import Histogram
import Runtime
import Synchronization

/// A message hop: the sender's clock reading rides with the message.
struct HopMessage: Sendable {
    var stamp: UInt64
}

/// Latencies recorded by one side of a hop benchmark, handed back at the end.
struct HopRecording: Sendable {
    var oneWay = Histogram<UInt64>.latencyNanos()
    var roundTrip = Histogram<UInt64>.latencyNanos()
    var hops: UInt64 = 0
}

/// One side of the channel ping-pong: every message it receives is timed and
/// answered on the peer's channel until the deadline.
actor ChannelHopActor {
    nonisolated let executor: PinnedExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let clock = MonotonicClock()
    /// A `let`, as an actor's outgoing channels would be: reading it costs no
    /// retain (a `var` would write the channel's reference count on every send, a
    /// cache line the receiving core reads).
    let peer: Channel<HopMessage>
    var recording = HopRecording()
    let recordFrom: UInt64
    let stopAt: UInt64
    let finished: Atomic<Bool> = Atomic(false)

    init(executor: PinnedExecutor, peer: Channel<HopMessage>, recordFrom: UInt64, stopAt: UInt64) {
        self.executor = executor
        self.peer = peer
        self.recordFrom = recordFrom
        self.stopAt = stopAt
    }

    func handle(_ message: HopMessage) {
        let now = clock.now()
        if now >= recordFrom {
            recording.oneWay.recordClamped(now &- message.stamp)
            recording.hops &+= 1
        }
        if now >= stopAt {
            finished.store(true, ordering: .releasing)
            return
        }
        peer.send(HopMessage(stamp: clock.now()))
    }

    func result() -> HopRecording { recording }
    nonisolated var isFinished: Bool { finished.load(ordering: .acquiring) }
}

/// The answering side of an `await` ping-pong.
protocol PingTarget: Actor {
    /// Records the one-way latency of the call and returns the time it answered.
    func ping(_ stamp: UInt64) -> UInt64
    func result() -> HopRecording
}

/// The calling side of an `await` ping-pong.
protocol PingDriver: Actor {
    var recording: HopRecording { get set }
}

extension PingDriver {
    /// Calls `peer.ping` back to back until `stopAt`, timing each hop and round trip.
    func drive<Target: PingTarget>(_ peer: Target, recordFrom: UInt64, stopAt: UInt64) async -> HopRecording {
        let clock = MonotonicClock()
        while true {
            let sent = clock.now()
            if sent >= stopAt { break }
            let answered = await peer.ping(sent)
            let back = clock.now()
            if sent >= recordFrom {
                recording.oneWay.recordClamped(back &- answered)
                recording.roundTrip.recordClamped(back &- sent)
                recording.hops &+= 1
            }
        }
        return recording
    }
}

/// Ping target on a pinned executor.
actor PinnedPingTarget: PingTarget {
    nonisolated let executor: PinnedExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let recordFrom: UInt64
    var recording = HopRecording()
    init(executor: PinnedExecutor, recordFrom: UInt64) {
        self.executor = executor
        self.recordFrom = recordFrom
    }
    func ping(_ stamp: UInt64) -> UInt64 { recordPing(stamp, into: &recording, recordFrom: recordFrom) }
    func result() -> HopRecording { recording }
}

/// Ping driver on a pinned executor.
actor PinnedPingDriver: PingDriver {
    nonisolated let executor: PinnedExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    var recording = HopRecording()
    init(executor: PinnedExecutor) { self.executor = executor }
}

/// Ping target on Swift's default executor.
actor DefaultPingTarget: PingTarget {
    let recordFrom: UInt64
    var recording = HopRecording()
    init(recordFrom: UInt64) { self.recordFrom = recordFrom }
    func ping(_ stamp: UInt64) -> UInt64 { recordPing(stamp, into: &recording, recordFrom: recordFrom) }
    func result() -> HopRecording { recording }
}

/// Ping driver on Swift's default executor.
actor DefaultPingDriver: PingDriver {
    var recording = HopRecording()
}

@inline(__always)
func recordPing(_ stamp: UInt64, into recording: inout HopRecording, recordFrom: UInt64) -> UInt64 {
    let now = MonotonicClock().now()
    if stamp >= recordFrom {
        recording.oneWay.recordClamped(now &- stamp)
        recording.hops &+= 1
    }
    return MonotonicClock().now()
}
