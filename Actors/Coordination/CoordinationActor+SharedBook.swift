// Shared book: approved order intents are executed by exactly one agent, through the
// shared `executors` consumer group on the decision stream; entries left pending by a
// dead agent are reclaimed with XAUTOCLAIM after heartbeat_timeout_ms.

import Protocols

extension CoordinationActor {
    /// Reads new entries of the `executors` group without blocking (one round trip per tick).
    func pollIntents(_ now: UInt64) {
        do throws(RedisError) {
            let entries = try link.run(nowNs: now) { c throws(RedisError) in
                try c.xreadgroup(keys.decisionStream, group: Self.executorsGroup, consumer: settings.agentID, count: 16)
            }
            if !entries.isEmpty { executeIntents(entries, reclaimed: false, now: now) }
        } catch let .server(_, message) where message.hasPrefix("NOGROUP") {
            run("XGROUP executors", ["XGROUP", "CREATE", RedisArgument(keys.decisionStream), RedisArgument(Self.executorsGroup), "0", "MKSTREAM"], now: now)
        } catch {
            failed("XREADGROUP executors", error)
        }
        if now >= nextReclaimNs {
            nextReclaimNs = now + UInt64(settings.protocolConfiguration.heartbeatTimeoutMs) * 1_000_000
            reclaimIntents(now)
        }
    }

    /// Takes over `executors` entries pending longer than heartbeat_timeout_ms (their
    /// consumer is dead or stuck) and executes them.
    func reclaimIntents(_ now: UInt64) {
        var cursor = "0-0"
        for _ in 0..<16 {
            let claim: RedisConnection.AutoClaim
            do throws(RedisError) {
                claim = try link.run(nowNs: now) { c throws(RedisError) in
                    try c.xautoclaim(keys.decisionStream, group: Self.executorsGroup, consumer: settings.agentID,
                                     minIdleMs: settings.protocolConfiguration.heartbeatTimeoutMs, start: cursor, count: 64)
                }
            } catch {
                failed("XAUTOCLAIM executors", error)
                return
            }
            if !claim.entries.isEmpty {
                logger.notice("reclaimed pending order intents", metadata: ["count": "\(claim.entries.count)"])
                executeIntents(claim.entries, reclaimed: true, now: now)
            }
            cursor = claim.nextStart
            if cursor == "0-0" { return }
        }
    }

    private func executeIntents(_ entries: [StreamEntry], reclaimed: Bool, now: UInt64) {
        var done: [String] = []
        for entry in entries {
            // Authenticated (a certificate or a signed decision), but not through the replay
            // checks: these entries were already admitted once by this agent's own group; the
            // executed set makes them idempotent.
            guard let decision = ClusterInspector.decision(in: entry, codec: codec) else {
                done.append(entry.id)
                continue
            }
            guard decision.topic == .orderIntent, decision.outcome == .approved,
                  !executedIntents.contains(decision.proposal)
            else {
                done.append(entry.id)
                continue
            }
            guard hooks.executeIntent(decision) else { continue }  // left pending: reclaimed later
            _ = executedIntents.insert(decision.proposal)
            extra.intentsExecuted += 1
            if reclaimed { extra.intentsReclaimed += 1 }
            emit(.intentExecuted(decision, reclaimed: reclaimed), now)
            done.append(entry.id)
        }
        guard !done.isEmpty else { return }
        do throws(RedisError) {
            try link.run(nowNs: now) { c throws(RedisError) in _ = try c.xack(keys.decisionStream, group: Self.executorsGroup, ids: done) }
        } catch {
            failed("XACK executors", error)
        }
    }
}
