import Foundation
import Protocols
import Testing
@testable import Coordination

@Suite("Emergency halt, leader lease, self-halt")
struct HaltLeaseConnectivityTests {
    let ms: UInt64 = 1_000_000

    @Test("any agent raises a halt: stop, persist, broadcast; peers stop once; only an operator resumes")
    func emergencyHalt() {
        var a = HaltController(selfID: "a")
        var b = HaltController(selfID: "b")
        let record = HaltRecord(reason: "drawdown", raisedBy: "a", raisedAtNs: 9)
        #expect(a.raise(reason: "drawdown", wallClockNs: 9) == [.stopOrders, .persistHalt(record), .broadcastHalt(Halt(reason: "drawdown"))])
        #expect(a.raise(reason: "again", wallClockNs: 10).isEmpty)
        #expect(b.haltReceived(from: "a", Halt(reason: "drawdown"), wallClockNs: 11) == [.stopOrders])
        #expect(b.haltReceived(from: "a", Halt(reason: "drawdown"), wallClockNs: 12).isEmpty)
        #expect(b.resume(by: .agent("b"), reason: "I think it is fine", broadcast: true) == [.resumeRefused(from: "b")])
        #expect(b.isHalted)
        #expect(a.resume(by: .operator("ops"), reason: "checked", broadcast: true)
            == [.clearPersistedHalt, .broadcastResume(Resume(operatorID: "ops", reason: "checked")), .resumeOrders])
        #expect(b.resume(by: .operator("ops"), reason: "checked", broadcast: false) == [.resumeOrders])
        #expect(!a.isHalted && !b.isHalted)
    }

    @Test("a persisted halt is adopted on rejoin; a missing record never lifts a halt")
    func restoreIsFailSafe() {
        var a = HaltController(selfID: "a")
        let record = HaltRecord(reason: "x", raisedBy: "c", raisedAtNs: 1)
        #expect(a.restore(persisted: record) == [.stopOrders])
        #expect(a.restore(persisted: nil).isEmpty)
        #expect(a.halt == record)
    }

    @Test("with emergency coordination disabled a halt stays local")
    func localOnly() {
        var a = HaltController(selfID: "a", coordinationEnabled: false)
        #expect(a.raise(reason: "r", wallClockNs: 0) == [.stopOrders])
    }

    @Test("lease: acquire, renew every ttl/3, stop leading before expiry when renewals fail")
    func leaseLifecycle() {
        var lease = LeaderLease(ownerToken: "a:1", ttlMs: 3000)
        #expect(lease.tick(nowNs: 0) == [.tryAcquire(ownerToken: "a:1", ttlMs: 3000)])
        #expect(lease.acquireResult(acquired: true, nowNs: 1 * ms) == [.becameLeader])
        #expect(lease.isLeader(nowNs: 2000 * ms))
        #expect(lease.tick(nowNs: 999 * ms).isEmpty)
        #expect(lease.tick(nowNs: 1000 * ms) == [.renew(ownerToken: "a:1", ttlMs: 3000)])
        #expect(lease.tick(nowNs: 1100 * ms).isEmpty)  // one renewal in flight
        #expect(lease.renewResult(renewed: true, nowNs: 1001 * ms).isEmpty)
        #expect(lease.isLeader(nowNs: 3699 * ms))  // 1000 + 3000 − 300 margin
        // Renewal sent at 2000 never answered: leadership ends at 3700, before Redis expiry at 4000.
        #expect(lease.tick(nowNs: 2000 * ms) == [.renew(ownerToken: "a:1", ttlMs: 3000)])
        #expect(lease.tick(nowNs: 3700 * ms) == [.lostLeadership])
        #expect(!lease.isLeader(nowNs: 3700 * ms))
    }

    @Test("lease: a failed acquire retries later, a refused renewal ends leadership, only the owner releases")
    func leaseOwnership() {
        var lease = LeaderLease(ownerToken: "b:1", ttlMs: 3000)
        _ = lease.tick(nowNs: 0)
        #expect(lease.acquireResult(acquired: false, nowNs: 0).isEmpty)
        #expect(lease.release(nowNs: 0).isEmpty)  // not the owner
        #expect(lease.tick(nowNs: 999 * ms).isEmpty)
        #expect(lease.tick(nowNs: 1000 * ms) == [.tryAcquire(ownerToken: "b:1", ttlMs: 3000)])
        _ = lease.acquireResult(acquired: true, nowNs: 1000 * ms)
        _ = lease.tick(nowNs: 2000 * ms)
        #expect(lease.renewResult(renewed: false, nowNs: 2001 * ms) == [.lostLeadership])
        _ = lease.tick(nowNs: 3001 * ms)
        _ = lease.acquireResult(acquired: true, nowNs: 3001 * ms)
        #expect(lease.release(nowNs: 3002 * ms) == [.lostLeadership, .release(ownerToken: "b:1")])
    }

    @Test("an agent without Redis for agent_timeout_ms halts itself once, and rejoins on the first success")
    func selfHalt() {
        var monitor = ConnectivityMonitor(configuration: CoordinationConfiguration(), startNs: 0)
        #expect(monitor.redisSucceeded(nowNs: 1000 * ms).isEmpty)
        #expect(monitor.tick(nowNs: 5999 * ms).isEmpty)
        #expect(monitor.tick(nowNs: 6000 * ms) == [.selfHalt])
        #expect(monitor.tick(nowNs: 7000 * ms).isEmpty)
        #expect(monitor.isSelfHalted)
        #expect(monitor.redisSucceeded(nowNs: 8000 * ms) == [.rejoin])
        #expect(!monitor.isSelfHalted && monitor.selfHalts == 1)
    }
}

@Suite("Cluster status JSON")
struct ClusterStatusTests {
    @Test("status JSON has the documented keys, explicit nulls, and snake_case fields")
    func json() throws {
        let decision = Decision(proposal: ProposalID(proposer: "a1", number: 3), topic: .riskOff, value: [], outcome: .approved,
                                approvals: 3, rejections: 0, liveMembers: 3, fencingToken: 12)
        let status = ClusterStatus(members: [.init(id: "a1", heartbeatAgeMs: 0), .init(id: "a2", heartbeatAgeMs: 420)],
                                   leader: nil, halted: false, halt: nil, decisions: [.init(decision)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(status), as: UTF8.self)
        #expect(text == #"{"decisions":[{"approvals":3,"fencing_token":12,"id":"a1#3","live_members":3,"outcome":"approved","topic":"risk_off"}],"halt":null,"halted":false,"leader":null,"members":[{"heartbeat_age_ms":0,"id":"a1"},{"heartbeat_age_ms":420,"id":"a2"}]}"#)
        #expect(try JSONDecoder().decode(ClusterStatus.self, from: Data(text.utf8)) == status)
    }
}
