import Foundation
import Synchronization
import Testing
@testable import Hardware

/// A thread that stays alive until released, with its Linux thread id.
private final class ParkedThread: Sendable {
    private let release = DispatchSemaphore(value: 0)
    private let ready = DispatchSemaphore(value: 0)
    private let id = Atomic<Int32>(0)

    /// Starts the thread, pinned to `cpu` first when given.
    init(pinnedTo cpu: Int? = nil) {
        let thread = Thread { [self] in
            if let cpu { try? Affinity.pinCurrentThread(to: cpu) }
            id.store(Affinity.threadID, ordering: .releasing)
            ready.signal()
            release.wait()
        }
        thread.start()
        ready.wait()
    }

    var threadID: Int32 { id.load(ordering: .acquiring) }

    func finish() { release.signal() }
}

@Suite struct CPUReservationTests {
    /// The CPUs this test process may use (the reservation needs two).
    static let cpus = Affinity.currentAffinity ?? []

    @Test func nothingReservedOrNothingLeftIsNoReservation() {
        #expect(CPUReservation(reserved: [], cpus: [0, 1]) == nil)
        #expect(CPUReservation(reserved: [0, 1], cpus: [0, 1]) == nil)
        #expect(CPUReservation(reserved: [7], cpus: [0, 1]) == nil)  // not a CPU of this machine
        let reservation = CPUReservation(reserved: [3, 1, 9], cpus: 0..<4)
        #expect(reservation?.reserved == [1, 3])
        #expect(reservation?.housekeeping == [0, 2])
    }

    @Test func listsThisProcessThreadsAndReadsTheirAffinity() {
        let parked = ParkedThread()
        defer { parked.finish() }
        let threads = CPUReservation.threadIDs()
        #expect(threads.contains(Affinity.threadID))
        #expect(threads.contains(parked.threadID))
        #expect(CPUReservation.affinity(ofThread: 0) == Affinity.currentAffinity)
    }

    @Test(.enabled(if: cpus.count >= 2, "needs two CPUs"))
    func sweepMovesOtherThreadsOffTheReservedCPUsAndLeavesExemptOnes() throws {
        let cpus = Self.cpus
        let reservedCPU = try #require(cpus.last)
        let reservation = try #require(CPUReservation(reserved: [reservedCPU], cpus: cpus))
        let free = ParkedThread()                      // may run anywhere: keeps its other CPUs
        let pinned = ParkedThread(pinnedTo: reservedCPU)  // only on the reserved CPU, not exempt: moved to housekeeping
        let exempt = ParkedThread(pinnedTo: reservedCPU)  // a critical executor's thread: untouched
        let elsewhere = ParkedThread(pinnedTo: cpus[0])   // already off the reserved CPU: untouched
        defer { [free, pinned, exempt, elsewhere].forEach { $0.finish() } }

        let sweep = reservation.sweep(threads: [free, pinned, exempt, elsewhere].map(\.threadID),
                                      exempt: [exempt.threadID])
        #expect(sweep.threads == 3)
        #expect(sweep.moved == 2)
        #expect(sweep.failed == 0)
        #expect(CPUReservation.affinity(ofThread: free.threadID) == cpus.filter { $0 != reservedCPU })
        #expect(CPUReservation.affinity(ofThread: pinned.threadID) == reservation.housekeeping)
        #expect(CPUReservation.affinity(ofThread: exempt.threadID) == [reservedCPU])
        #expect(CPUReservation.affinity(ofThread: elsewhere.threadID) == [cpus[0]])

        // A second sweep finds nothing left to move.
        #expect(reservation.sweep(threads: [free, pinned, elsewhere].map(\.threadID)).moved == 0)
    }

    @Test func aThreadThatIsGoneIsCountedAsFailed() throws {
        let reservation = try #require(CPUReservation(reserved: [1], cpus: [0, 1]))
        let sweep = reservation.sweep(threads: [Int32.max - 7])
        #expect(sweep == CPUReservation.Sweep(threads: 1, moved: 0, failed: 1))
        #expect(!CPUReservation.setAffinity(ofThread: 0, to: []))
        #expect(!CPUReservation.setAffinity(ofThread: 0, to: [-1]))
    }
}
