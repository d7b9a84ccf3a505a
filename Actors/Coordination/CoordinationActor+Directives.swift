// Carrying out the state machines' directives over Redis.

import Protocols
import Runtime

extension CoordinationActor {
    // MARK: Membership

    func perform(_ directives: [MembershipDirective], _ now: UInt64, ages: [String: UInt64] = [:]) {
        for directive in directives {
            switch directive {
            case .publishHeartbeat:
                publishHeartbeat(now)
            case let .memberJoined(id):
                logger.info("member joined", metadata: ["member": "\(id)"])
                emit(.memberJoined(id), now)
            case let .memberRestarted(id):
                logger.info("member restarted", metadata: ["member": "\(id)"])
                emit(.memberRestarted(id), now)
            case let .memberEvicted(id):
                extra.evictions += 1
                logger.warning("member evicted", metadata: ["member": "\(id)", "live": "\(membership.liveCount)"])
                emit(.memberEvicted(id, silenceNs: ages[id] ?? 0), now)
                if settings.sharedBook { reclaimIntents(now) }
            }
        }
    }

    /// PUBLISH the heartbeat, refresh the member key (PX heartbeat_timeout; value: wall
    /// clock ns), and read the persisted halt and the lease owner, in one pipelined write.
    func publishHeartbeat(_ now: UInt64) {
        let state: Heartbeat.TradingState = gate.isSelfHalted ? .selfHalted : (halts.isHalted ? .clusterHalted : .trading)
        let wall = WallClock.nowNanos()
        guard let bytes = sign(.heartbeat(Heartbeat(incarnation: incarnation, state: state)),
                               sequence: pubsubSequence.next(), wall: wall) else { return }
        let ttl = settings.protocolConfiguration.heartbeatTimeoutMs
        let commands: [[RedisArgument]] = [
            ["PUBLISH", RedisArgument(keys.heartbeatChannel), RedisArgument(bytes: bytes)],
            ["SET", RedisArgument(keys.member(settings.agentID)), RedisArgument(wall), "PX", RedisArgument(ttl)],
            ["GET", RedisArgument(keys.haltState)],
            ["GET", RedisArgument(keys.leaderLease)],
        ]
        let start = executor.clock.now()
        do throws(RedisError) {
            let replies = try link.run(nowNs: now) { c throws(RedisError) in try c.pipeline(commands) }
            recordHeartbeatCost(executor.clock.now() &- start)
            extra.heartbeats += 1
            if let error = replies.compactMap(\.errorMessage).first {
                failed("heartbeat", RedisError.server(command: "heartbeat pipeline", message: error))
                return
            }
            succeeded(now)
            if case let .bulk(json) = replies[2], let record = HaltRecord.decode(json) {
                perform(halts.restore(persisted: record), now)
            }
            leaderID = replies[3].string.map(ClusterInspector.agentID(fromLeaseToken:))
        } catch {
            failed("heartbeat", error)
        }
    }

    private func recordHeartbeatCost(_ ns: UInt64) {
        if heartbeatCosts.count >= 1024 { heartbeatCosts.removeFirst(512) }
        heartbeatCosts.append(ns)
    }

    // MARK: Halt

    func perform(_ directives: [HaltDirective], _ now: UInt64) {
        for directive in directives {
            switch directive {
            case .stopOrders:
                gate.setClusterHalted(true, nowNs: now)
                if let record = halts.halt {
                    logger.critical("emergency halt: orders stopped", metadata: ["reason": "\(record.reason)", "by": "\(record.raisedBy)"])
                    emit(.halted(record), now)
                }
            case let .persistHalt(record):
                persist(record, now: now)
            case let .broadcastHalt(halt):
                publish(keys.haltChannel, .halt(halt), sender: settings.agentID, sequence: pubsubSequence.next(), now: now)
            case .clearPersistedHalt:
                run("DEL halt", ["DEL", RedisArgument(keys.haltState)], now: now)
            case let .broadcastResume(resume):
                publish(keys.haltChannel, .resume(resume), sender: CoordinationSettings.operatorPrefix + settings.agentID,
                        sequence: operatorSequence.next(), now: now)
            case .resumeOrders:
                gate.setClusterHalted(false, nowNs: now)
                logger.notice("emergency halt lifted by an operator", metadata: ["operator": "\(lastResumeOperator)"])
                emit(.resumed(operatorID: lastResumeOperator), now)
            case let .resumeRefused(from):
                extra.resumesRefused += 1
                logger.warning("resume refused: not from an operator", metadata: ["from": "\(from)"])
                emit(.resumeRefused(from: from), now)
            }
        }
    }

    func persist(_ record: HaltRecord, now: UInt64) {
        run("SET halt", ["SET", RedisArgument(keys.haltState), RedisArgument(bytes: record.encoded())], now: now)
    }

    /// Re-reads the persisted halt (after a reconnect or a rejoin: a broadcast may have
    /// been missed). A missing record lifts nothing.
    func refreshHalt(_ now: UInt64) {
        do throws(RedisError) {
            let reply = try link.run(nowNs: now) { c throws(RedisError) in try c.command(["GET", RedisArgument(keys.haltState)]) }
            if case let .bulk(json) = reply, let record = HaltRecord.decode(json) { perform(halts.restore(persisted: record), now) }
        } catch {
            failed("GET halt", error)
        }
    }

    // MARK: Lease and connectivity

    func perform(_ directives: [LeaseDirective], _ now: UInt64) {
        for directive in directives {
            switch directive {
            case let .tryAcquire(owner, ttl):
                guard let reply = run("lease acquire", ["SET", RedisArgument(keys.leaderLease), RedisArgument(owner), "NX", "PX", RedisArgument(ttl)], now: now) else { continue }
                perform(lease.acquireResult(acquired: reply == .status("OK"), nowNs: now), now)
            case let .renew(owner, ttl):
                guard let reply = evalLease(ClusterScripts.leaseRenew, [RedisArgument(owner), RedisArgument(ttl)], now: now) else { continue }
                perform(lease.renewResult(renewed: reply.integer == 1, nowNs: now), now)
            case let .release(owner):
                _ = evalLease(ClusterScripts.leaseRelease, [RedisArgument(owner)], now: now)
            case .becameLeader:
                leaderID = settings.agentID
                logger.info("became leader", metadata: ["agent": "\(settings.agentID)"])
                emit(.becameLeader, now)
            case .lostLeadership:
                if leaderID == settings.agentID { leaderID = nil }
                logger.notice("lost leadership", metadata: ["agent": "\(settings.agentID)"])
                emit(.lostLeadership, now)
            }
        }
    }

    private func evalLease(_ script: RedisScript, _ arguments: [RedisArgument], now: UInt64) -> RedisReply? {
        do throws(RedisError) {
            let reply = try link.run(nowNs: now) { c throws(RedisError) in
                try c.evalsha(script, keys: [RedisArgument(keys.leaderLease)], arguments: arguments)
            }
            succeeded(now)
            return reply
        } catch {
            failed("lease script", error)
            return nil
        }
    }

    func perform(_ directives: [ConnectivityDirective], _ now: UInt64) {
        for directive in directives {
            switch directive {
            case .selfHalt:
                gate.setSelfHalted(true, nowNs: now)
                logger.critical("Redis unreachable for agent_timeout_ms: own trading halted", metadata: [
                    "agent": "\(settings.agentID)", "timeout_ms": "\(settings.protocolConfiguration.agentTimeoutMs)",
                ])
                emit(.selfHalted, now)
            case .rejoin:
                membership.reset()
                refreshHalt(now)
                gate.setSelfHalted(false, nowNs: now)
                logger.notice("Redis reachable: rejoined the cluster", metadata: ["agent": "\(settings.agentID)"])
                emit(.rejoined, now)
            }
        }
    }

    // MARK: Sending

    func sign(_ payload: WirePayload, sender: String? = nil, sequence: UInt64, wall: UInt64) -> [UInt8]? {
        let message = WireMessage(sender: sender ?? settings.agentID, sequence: sequence, timestampNs: wall, payload: payload)
        do throws(WireError) {
            return try codec.encode(message)
        } catch {
            logger.error("cannot encode cluster message", metadata: ["type": "\(payload.type)", "error": "\(error)"])
            return nil
        }
    }

    func append(_ stream: ClusterStream, _ payload: WirePayload, now: UInt64) {
        let sequence = stream == .proposals ? proposalSequence.next() : decisionSequence.next()
        guard let bytes = sign(payload, sequence: sequence, wall: WallClock.nowNanos()) else { return }
        let key = stream == .proposals ? keys.proposalStream : keys.decisionStream
        do throws(RedisError) {
            _ = try link.run(nowNs: now) { c throws(RedisError) in
                try c.xadd(key, maxLength: settings.streamMaxLength, fields: [("m", bytes)])
            }
            succeeded(now)
            switch payload {
            case let .proposal(proposal): stage(.proposalAppended, proposal.id)
            case let .decision(decision): stage(.decisionAppended, decision.proposal)
            default: break
            }
        } catch {
            failed("XADD \(stream.rawValue)", error)
        }
    }

    func publish(_ channel: String, _ payload: WirePayload, sender: String, sequence: UInt64, now: UInt64) {
        guard let bytes = sign(payload, sender: sender, sequence: sequence, wall: WallClock.nowNanos()) else { return }
        run("PUBLISH \(payload.type)", ["PUBLISH", RedisArgument(channel), RedisArgument(bytes: bytes)], now: now)
    }

    /// One command; failures are logged and counted, success feeds connectivity.
    @discardableResult
    func run(_ operation: String, _ arguments: [RedisArgument], now: UInt64) -> RedisReply? {
        do throws(RedisError) {
            let reply = try link.run(nowNs: now) { c throws(RedisError) in try c.command(arguments) }
            succeeded(now)
            return reply
        } catch {
            failed(operation, error)
            return nil
        }
    }
}
