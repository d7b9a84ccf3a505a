// Incoming messages: authenticate, drop replays, hand to the state machines.

import Protocols
import Runtime

extension CoordinationActor {
    /// The three inbound paths, each with its own per-sender sequence space.
    enum Inbound {
        case pubsub
        case proposals
        case decisions
    }

    /// Decodes and authenticates `bytes`, then checks sequence and timestamp; drops are
    /// counted, logged and reported, never thrown.
    func admit(_ bytes: [UInt8], on inbound: Inbound, now: UInt64) -> WireMessage? {
        let message: WireMessage
        do throws(WireError) {
            message = try codec.decode(bytes)
        } catch {
            let reason: DropReason
            switch inbound {
            case .pubsub: reason = pubsubGuard.recordDecodeFailure(error)
            case .proposals: reason = proposalGuard.recordDecodeFailure(error)
            case .decisions: reason = decisionGuard.recordDecodeFailure(error)
            }
            dropped(reason, sender: WireCodec.peekHeader(bytes)?.sender, detail: error.description, now: now)
            return nil
        }
        let wall = WallClock.nowNanos()
        let verdict: ReplayGuard.Verdict
        switch inbound {
        case .pubsub: verdict = pubsubGuard.admit(message, nowNs: wall)
        case .proposals: verdict = proposalGuard.admit(message, nowNs: wall)
        case .decisions: verdict = decisionGuard.admit(message, nowNs: wall)
        }
        guard case let .drop(reason) = verdict else { return message }
        dropped(reason, sender: message.sender, detail: "sequence \(message.sequence)", now: now)
        return nil
    }

    /// Verifies a decision certificate appended by the tally script and checks its
    /// freshness and that its proposal was not admitted before; drops are counted, logged
    /// and reported.
    func admitCertificate(_ entry: StreamEntry, now: UInt64) -> Decision? {
        let certificate: DecisionCertificate
        do throws(DecisionCertificateError) {
            certificate = try DecisionCertificate(entry: entry, codec: codec)
        } catch {
            certificates.recordDrop(error.dropReason)
            let decider = entry[DecisionCertificate.deciderField].map { String(decoding: $0.prefix(64), as: UTF8.self) }
            dropped(error.dropReason, sender: decider, detail: "entry \(entry.id): \(error)", now: now)
            return nil
        }
        guard case let .drop(reason) = certificates.admit(certificate, nowNs: WallClock.nowNanos()) else { return certificate.decision }
        dropped(reason, sender: certificate.decidingVote.sender,
                detail: "certificate of \(certificate.decision.proposal) in entry \(entry.id)", now: now)
        return nil
    }

    func dropped(_ reason: DropReason, sender: String?, detail: String, now: UInt64) {
        logger.warning("cluster message dropped", metadata: [
            "reason": "\(reason)", "sender": "\(sender ?? "?")", "detail": "\(detail)",
        ])
        emit(.messageDropped(reason, sender: sender), now)
    }

    func handlePubSub(channel: String, payload: [UInt8], now: UInt64) {
        guard let message = admit(payload, on: .pubsub, now: now) else { return }
        switch message.payload {
        case let .heartbeat(heartbeat):
            perform(membership.heartbeatReceived(from: message.sender, heartbeat, nowNs: now), now)
        case let .halt(halt):
            perform(halts.haltReceived(from: message.sender, halt, wallClockNs: message.timestampNs), now)
        case let .resume(resume):
            let origin: HaltController.Origin = message.sender.hasPrefix(CoordinationSettings.operatorPrefix)
                ? .operator(resume.operatorID) : .agent(message.sender)
            if case .operator = origin { lastResumeOperator = resume.operatorID }
            perform(halts.resume(by: origin, reason: resume.reason, broadcast: false), now)
        case .proposal, .vote, .decision:
            unexpected(message, where: "pub/sub channel \(channel)", now: now)
        }
    }

    func handleEntries(_ stream: ClusterStream, _ entries: [StreamEntry], pending: Bool, readAtNs: UInt64, now: UInt64) {
        var acknowledged: [String] = []
        acknowledged.reserveCapacity(entries.count)
        for entry in entries {
            acknowledged.append(entry.id)
            // At-least-once: a redelivered entry already processed is only acknowledged.
            let fresh = stream == .proposals ? processedProposals.insert(entry.id) : processedDecisions.insert(entry.id)
            guard fresh else { continue }
            if stream == .decisions, DecisionCertificate.isCertificate(entry) {
                guard let decision = admitCertificate(entry, now: now) else { continue }
                stage(.decisionRead, decision.proposal, at: readAtNs)
                perform(consensus.decisionReceived(decision), now)
                continue
            }
            guard let bytes = entry["m"] else {
                dropped(.malformed, sender: nil, detail: "stream entry \(entry.id) has no 'm' field", now: now)
                continue
            }
            guard let message = admit(bytes, on: stream == .proposals ? .proposals : .decisions, now: now) else { continue }
            switch (stream, message.payload) {
            case let (.proposals, .proposal(proposal)):
                // Its own proposal was voted on in the same write that appended it.
                guard !consensus.votedWhenProposed(proposal.id) else { continue }
                stage(.proposalRead, proposal.id, at: readAtNs)
                stage(.proposalHandled, proposal.id, at: now)
                // The batch so far is acknowledged in the vote's write, after the tally.
                acksWithVote = acknowledged
                vote(on: proposal, now: now)
                if acksWithVote.isEmpty { acknowledged.removeAll() }
                acksWithVote = []
            case let (.decisions, .decision(decision)):
                stage(.decisionRead, decision.proposal, at: readAtNs)
                perform(consensus.decisionReceived(decision), now)
            default:
                unexpected(message, where: "stream \(stream.rawValue)", now: now)
            }
        }
        acknowledge(stream, ids: acknowledged, now: now)
    }

    func vote(on proposal: Proposal, now: UInt64) {
        guard proposal.deadlineNs > WallClock.nowNanos() else {
            logger.info("proposal read after its deadline: not voted", metadata: ["proposal": "\(proposal.id)"])
            return
        }
        let live = membership.liveCount
        if open.count >= 4096 { open.removeAll() }  // bound: only undecided proposals stay here
        open[proposal.id] = (proposal, live)
        let approve = hooks.evaluate(proposal)
        perform(consensus.proposalReceived(proposal, approve: approve, liveMembers: live, nowNs: now), now)
    }

    func acknowledge(_ stream: ClusterStream, ids: [String], now: UInt64) {
        guard !ids.isEmpty else { return }
        let key = stream == .proposals ? keys.proposalStream : keys.decisionStream
        do throws(RedisError) {
            try link.run(nowNs: now) { c throws(RedisError) in _ = try c.xack(key, group: group, ids: ids) }
        } catch {
            failed("XACK \(stream.rawValue)", error)  // re-read as pending after reconnect, then skipped
        }
    }

    private func unexpected(_ message: WireMessage, where place: String, now: UInt64) {
        pubsubGuard.recordDecodeFailure(.malformedPayload(type: message.payload.type, field: "type", reason: "unexpected on \(place)"))
        dropped(.malformed, sender: message.sender, detail: "\(message.payload.type) unexpected on \(place)", now: now)
    }
}
