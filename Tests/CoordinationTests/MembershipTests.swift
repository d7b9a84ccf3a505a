import Protocols
import Testing
@testable import Coordination

@Suite("Membership")
struct MembershipTests {
    let config = CoordinationConfiguration()
    let ms: UInt64 = 1_000_000
    let beat = Heartbeat(incarnation: 1, state: .trading)

    @Test("a heartbeat is due at start and then every heartbeat_interval")
    func heartbeatCadence() {
        var membership = Membership(selfID: "a", configuration: config)
        var published: [UInt64] = []
        for t in stride(from: UInt64(0), through: 5000, by: 100) where membership.tick(nowNs: t * ms).contains(.publishHeartbeat) {
            published.append(t)
        }
        #expect(published == [0, 1000, 2000, 3000, 4000, 5000])
    }

    @Test("peers join on first heartbeat, restart on a new incarnation, and count toward liveCount")
    func joinsAndRestarts() {
        var membership = Membership(selfID: "a", configuration: config)
        #expect(membership.heartbeatReceived(from: "b", beat, nowNs: 0) == [.memberJoined("b")])
        #expect(membership.heartbeatReceived(from: "b", beat, nowNs: 1000 * ms) == [])
        #expect(membership.heartbeatReceived(from: "b", Heartbeat(incarnation: 2, state: .trading), nowNs: 2000 * ms) == [.memberRestarted("b")])
        #expect(membership.heartbeatReceived(from: "a", beat, nowNs: 0) == [])  // own heartbeat ignored
        #expect(membership.liveMembers == ["a", "b"])
        #expect(membership.heartbeatAgeNs(of: "b", nowNs: 2500 * ms) == 500 * ms)
    }

    @Test("a silent peer is evicted at heartbeat_timeout_ms of silence, not before")
    func evictsAtTimeout() {
        var membership = Membership(selfID: "a", configuration: config)
        _ = membership.heartbeatReceived(from: "b", beat, nowNs: 1000 * ms)
        #expect(!membership.tick(nowNs: 3999 * ms).contains(.memberEvicted("b")))
        #expect(membership.tick(nowNs: 4000 * ms).contains(.memberEvicted("b")))
        #expect(membership.liveCount == 1)
        #expect(membership.heartbeatReceived(from: "b", beat, nowNs: 5000 * ms) == [.memberJoined("b")])
    }

    @Test("three simulated agents: a killed one is evicted by both others within timeout + one interval")
    func threeAgentSimulation() {
        let ids = ["a1", "a2", "a3"]
        var agents = ids.map { Membership(selfID: $0, configuration: config) }
        var alive = [true, true, true]
        var lastBeat = [UInt64](repeating: 0, count: 3)
        var evictedAt: [String: [UInt64]] = [:]
        // Ticks every 100 ms with staggered phases; a heartbeat is delivered to all live peers.
        for step in 0..<120 {
            let now = UInt64(step) * 100 * ms
            if step == 30 { alive[2] = false }  // kill -9 of a3 at 3000 ms
            for i in 0..<3 where alive[i] {
                for directive in agents[i].tick(nowNs: now + UInt64(i) * 7 * ms) {
                    switch directive {
                    case .publishHeartbeat:
                        lastBeat[i] = now
                        for j in 0..<3 where j != i && alive[j] {
                            _ = agents[j].heartbeatReceived(from: ids[i], beat, nowNs: now + UInt64(i) * 7 * ms)
                        }
                    case let .memberEvicted(id):
                        evictedAt[id, default: []].append(now)
                    default:
                        break
                    }
                }
            }
        }
        #expect(agents[0].liveMembers == ["a1", "a2"])
        #expect(agents[1].liveMembers == ["a1", "a2"])
        let bound = lastBeat[2] + UInt64(config.heartbeatTimeoutMs + config.heartbeatIntervalMs) * ms
        #expect(evictedAt["a3"]?.count == 2)
        #expect(evictedAt["a3"]?.allSatisfy { $0 <= bound } == true)
        #expect(evictedAt["a1"] == nil && evictedAt["a2"] == nil)
    }
}
