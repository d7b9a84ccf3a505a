import Testing
@testable import Protocols

@Suite("Replay guard")
struct ReplayGuardTests {
    let now: UInt64 = 1_700_000_000_000_000_000

    @Test("in-order messages are accepted, an exact replay is dropped and counted as replayed")
    func replayDropped() {
        var guardian = ReplayGuard()
        #expect(guardian.admit(sender: "a", sequence: 10, timestampNs: now, nowNs: now) == .accept)
        #expect(guardian.admit(sender: "a", sequence: 11, timestampNs: now, nowNs: now) == .accept)
        #expect(guardian.admit(sender: "a", sequence: 11, timestampNs: now, nowNs: now) == .drop(.replayed))
        #expect(guardian.admit(sender: "b", sequence: 11, timestampNs: now, nowNs: now) == .accept)
        #expect(guardian.counters.accepted == 3)
        #expect(guardian.counters.replayed == 1)
    }

    @Test("out-of-order messages inside the 64-wide window are accepted once; below the window dropped")
    func slidingWindow() {
        var guardian = ReplayGuard()
        #expect(guardian.admit(sender: "a", sequence: 100, timestampNs: now, nowNs: now) == .accept)
        #expect(guardian.admit(sender: "a", sequence: 98, timestampNs: now, nowNs: now) == .accept)
        #expect(guardian.admit(sender: "a", sequence: 98, timestampNs: now, nowNs: now) == .drop(.replayed))
        #expect(guardian.admit(sender: "a", sequence: 37, timestampNs: now, nowNs: now) == .accept)  // offset 63
        #expect(guardian.admit(sender: "a", sequence: 36, timestampNs: now, nowNs: now) == .drop(.replayed))  // offset 64
        #expect(guardian.admit(sender: "a", sequence: 1000, timestampNs: now, nowNs: now) == .accept)
        #expect(guardian.admit(sender: "a", sequence: 100, timestampNs: now, nowNs: now) == .drop(.replayed))
        #expect(guardian.admit(sender: "a", sequence: 999, timestampNs: now, nowNs: now) == .accept)
    }

    @Test("seeded random permutations: every sequence number is accepted exactly once")
    func randomPermutationsAcceptEachOnce() {
        var rng = SplitMix64(seed: 0x5EED_0004)
        var guardian = ReplayGuard()
        var accepted = 0
        var base: UInt64 = 1
        for _ in 0..<50 {
            // Reorder within blocks of 32 (< window) and duplicate some.
            var block = Array(base ..< base + 32)
            block.shuffle(using: &rng)
            block += block.prefix(Int.random(in: 0...10, using: &rng))
            for sequence in block where guardian.admit(sender: "s", sequence: sequence, timestampNs: now, nowNs: now) == .accept {
                accepted += 1
            }
            base += 32
        }
        #expect(accepted == 50 * 32)
        #expect(guardian.counters.replayed == guardian.counters.dropped)
    }

    @Test("timestamps older than maxAge are stale, beyond the skew are future; neither advances the window")
    func staleAndFuture() {
        var guardian = ReplayGuard(configuration: .init(maxAgeNs: 5_000_000_000, maxFutureSkewNs: 1_000_000_000))
        #expect(guardian.admit(sender: "a", sequence: 5, timestampNs: now - 5_000_000_001, nowNs: now) == .drop(.stale))
        #expect(guardian.admit(sender: "a", sequence: 5, timestampNs: now + 1_000_000_001, nowNs: now) == .drop(.future))
        #expect(guardian.trackedSenders == 0)
        #expect(guardian.admit(sender: "a", sequence: 5, timestampNs: now - 5_000_000_000, nowNs: now) == .accept)
        #expect(guardian.admit(sender: "a", sequence: 6, timestampNs: now + 1_000_000_000, nowNs: now) == .accept)
        #expect(guardian.counters.stale == 1)
        #expect(guardian.counters.future == 1)
    }

    @Test("decode failures count as forged (bad tag) or malformed (anything else)")
    func decodeFailures() throws {
        var guardian = ReplayGuard()
        #expect(guardian.recordDecodeFailure(.badTag) == .forged)
        #expect(guardian.recordDecodeFailure(.badMagic(found: 0)) == .malformed)
        #expect(guardian.recordDecodeFailure(.unknownType(rawValue: 9)) == .malformed)
        #expect(guardian.counters.forged == 1)
        #expect(guardian.counters.malformed == 2)
        #expect(guardian.counters.dropped == 3)
    }

    @Test("a full sender table drops new senders, and pruning stale senders frees it")
    func senderTableBound() {
        var guardian = ReplayGuard(configuration: .init(maxAgeNs: 1_000, maxFutureSkewNs: 1_000, maxSenders: 2))
        #expect(guardian.admit(sender: "a", sequence: 1, timestampNs: 10_000, nowNs: 10_000) == .accept)
        #expect(guardian.admit(sender: "b", sequence: 1, timestampNs: 10_000, nowNs: 10_000) == .accept)
        #expect(guardian.admit(sender: "c", sequence: 1, timestampNs: 10_000, nowNs: 10_000) == .drop(.tooManySenders))
        #expect(guardian.admit(sender: "c", sequence: 1, timestampNs: 12_000, nowNs: 12_000) == .accept)
        #expect(guardian.trackedSenders == 1)
    }

    @Test("a restarted sender using SequenceCounter from the wall clock is not mistaken for a replay")
    func restartWithSequenceCounter() {
        var guardian = ReplayGuard()
        var first = SequenceCounter(startingAtNs: now - 2_000_000_000)
        for _ in 0..<10 { _ = guardian.admit(sender: "a", sequence: first.next(), timestampNs: now, nowNs: now) }
        var restarted = SequenceCounter(startingAtNs: now)
        #expect(guardian.admit(sender: "a", sequence: restarted.next(), timestampNs: now, nowNs: now) == .accept)
        #expect(guardian.counters.accepted == 11)
    }

    @Test("end to end: a forged tag and a replayed encoded message are rejected and counted")
    func endToEnd() throws {
        let codec = WireCodec(key: try WireFixtures.key())
        let forger = WireCodec(key: try WireFixtures.otherKey())
        var guardian = ReplayGuard()
        let message = WireMessage(sender: "a", sequence: 1, timestampNs: now, payload: .halt(Halt(reason: "test")))
        let wire = try codec.encode(message)
        let forged = try forger.encode(message)
        var verdicts: [ReplayGuard.Verdict] = []
        for bytes in [wire, forged, wire] {
            do {
                verdicts.append(guardian.admit(try codec.decode(bytes), nowNs: now))
            } catch {
                verdicts.append(.drop(guardian.recordDecodeFailure(error)))
            }
        }
        #expect(verdicts == [.accept, .drop(.forged), .drop(.replayed)])
    }
}
