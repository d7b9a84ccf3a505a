// Carrying out the consensus machine's directives over Redis: proposals with the
// proposer's own vote, votes (atomic Lua tally), decisions and their recovery.

import Protocols
import Runtime

extension CoordinationActor {
    func perform(_ directives: [ConsensusDirective], _ now: UInt64) {
        for directive in directives {
            switch directive {
            case let .broadcastProposal(proposal, vote):
                appendProposal(proposal, voting: vote, now: now)
            case let .submitVote(submission):
                submitVote(submission, now: now)
            case let .broadcastDecision(decision):
                append(.decisions, .decision(decision), now: now)
            case let .apply(decision):
                apply(decision, now: now)
            case let .rejectStaleToken(decision, lastApplied):
                open[decision.proposal] = nil
                logger.warning("decision with a stale fencing token refused", metadata: [
                    "proposal": "\(decision.proposal)", "token": "\(decision.fencingToken)", "last_applied": "\(lastApplied)",
                ])
                emit(.staleDecisionRefused(decision, lastApplied: lastApplied), now)
            case let .recordRejection(decision):
                open[decision.proposal] = nil
                remember(decision)
                emit(.decisionRejected(decision), now)
            case let .expired(id):
                recoverExpired(id, now: now)
            }
        }
    }

    /// Keys and arguments of the tally script for `vote`, signed here so the script can put
    /// it in the decision certificate; `proposal` is the proposer's signed proposal (sent
    /// with its own vote, empty otherwise).
    func tallyArguments(_ vote: VoteSubmission, proposal: [UInt8] = []) -> (keys: [RedisArgument], arguments: [RedisArgument]) {
        let ttlMs = max(60_000, settings.protocolConfiguration.proposalTimeoutMs * 10)
        let signed = Vote(proposal: vote.proposal, requiredApprovals: UInt32(clamping: vote.requiredApprovals),
                          liveMembers: UInt32(clamping: vote.liveMembers), approve: vote.approve)
        // Unsigned (an encoding failure, logged by `sign`): the decider appends a signed decision instead.
        let signedVote = sign(.vote(signed), sequence: voteSequence.next(), wall: WallClock.nowNanos()) ?? []
        return ([RedisArgument(keys.votes(vote.proposal)), RedisArgument(keys.fencingCounter), RedisArgument(keys.decision(vote.proposal)),
                 RedisArgument(keys.decisionStream)],
                [RedisArgument(vote.voter), vote.approve ? "1" : "0", RedisArgument(vote.requiredApprovals),
                 RedisArgument(vote.liveMembers), RedisArgument(ttlMs), RedisArgument(bytes: signedVote), RedisArgument(bytes: proposal),
                 RedisArgument(settings.streamMaxLength)])
    }

    /// Runs the tally script for this agent's vote; with ``acksWithVote`` pending, XACKs
    /// those proposal entries in the same pipelined write (one round trip less per vote).
    func submitVote(_ vote: VoteSubmission, now: UInt64,
                    script: (keys: [RedisArgument], arguments: [RedisArgument])? = nil) {
        let (scriptKeys, arguments) = script ?? tallyArguments(vote)
        let acks = acksWithVote
        acksWithVote = []
        let reply: RedisReply
        let ackError: String?
        do throws(RedisError) {
            (reply, ackError) = try link.run(nowNs: now) { c throws(RedisError) -> (RedisReply, String?) in
                guard !acks.isEmpty else { return (try c.evalsha(ClusterScripts.tally, keys: scriptKeys, arguments: arguments), nil) }
                let evalsha: [RedisArgument] = ["EVALSHA", RedisArgument(ClusterScripts.tally.sha1), RedisArgument(scriptKeys.count)]
                    + scriptKeys + arguments
                let xack: [RedisArgument] = ["XACK", RedisArgument(keys.proposalStream), RedisArgument(group)] + acks.map { RedisArgument($0) }
                let replies = try c.pipeline([evalsha, xack])
                guard replies.count == 2 else { throw .unexpectedReply(command: "EVALSHA+XACK", reply: "\(replies.count) replies") }
                // NOSCRIPT after a Redis restart: load the script and vote again (HSETNX keeps one vote).
                if replies[0].errorMessage?.hasPrefix("NOSCRIPT") == true {
                    return (try c.evalsha(ClusterScripts.tally, keys: scriptKeys, arguments: arguments), replies[1].errorMessage)
                }
                return (replies[0], replies[1].errorMessage)
            }
        } catch {
            failed("vote on \(vote.proposal)", error)
            return
        }
        succeeded(now)
        if let ackError { failed("XACK proposals", RedisError.server(command: "XACK", message: ackError)) }
        if let message = reply.errorMessage {
            failed("vote on \(vote.proposal)", RedisError.server(command: "EVALSHA", message: message))
            return
        }
        tallied(vote, reply: reply, now: now)
    }

    /// Feeds the tally script's reply to the consensus machine.
    func tallied(_ vote: VoteSubmission, reply: RedisReply, now: UInt64) {
        stage(.voteTallied, vote.proposal)
        do throws(CoordinationError) {
            let outcome = try TallyOutcome(reply: reply)
            if outcome.decidedByThisVote, outcome.decisionAppended { stage(.decisionAppended, vote.proposal) }
            perform(consensus.tallyResult(outcome, for: vote.proposal, nowNs: now), now)
        } catch {
            logger.error("tally script answered unexpectedly", metadata: ["error": "\(error)"])
        }
    }

    func apply(_ decision: Decision, now: UInt64) {
        open[decision.proposal] = nil
        gate.setFencingToken(decision.fencingToken)
        remember(decision)
        stage(.decisionApplied, decision.proposal)
        emit(.decisionApplied(decision), now)
        switch decision.topic {
        case .halt:
            let reason = "cluster decision \(decision.proposal): " + String(decoding: decision.value.prefix(512), as: UTF8.self)
            perform(halts.haltReceived(from: decision.proposal.proposer, Halt(reason: reason), wallClockNs: WallClock.nowNanos()), now)
            if decision.proposal.proposer == settings.agentID, let record = halts.halt { persist(record, now: now) }
        case .resume:
            // Resuming is an operator's act (`cluster resume`), never a vote's.
            perform(halts.resume(by: .agent(decision.proposal.proposer), reason: "vote", broadcast: false), now)
        case .consensusRegime, .riskOff, .orderIntent:
            break  // carried by the event to the pipeline
        }
    }

    /// A proposal expired here: if the tally in Redis decided it (its decider may have died
    /// before appending the decision), append the stored decision; receivers apply it once.
    func recoverExpired(_ id: ProposalID, now: UInt64) {
        guard let (proposal, live) = open.removeValue(forKey: id) else {
            emit(.proposalExpired(id), now)
            return
        }
        let reply: RedisReply
        do throws(RedisError) {
            reply = try link.run(nowNs: now) { c throws(RedisError) in
                try c.command(["HMGET", RedisArgument(keys.decision(id)), "status", "approvals", "rejections", "token"])
            }
        } catch {
            failed("recover \(id)", error)
            emit(.proposalExpired(id), now)
            return
        }
        guard let parts = reply.array, parts.count == 4, let status = parts[0].integer, status == 1 || status == 2,
              let approvals = parts[1].integer, let rejections = parts[2].integer, let token = parts[3].integer, token >= 0
        else {
            emit(.proposalExpired(id), now)
            return
        }
        let decision = Decision(
            proposal: id, topic: proposal.topic, value: proposal.value, outcome: status == 1 ? .approved : .rejected,
            approvals: UInt32(clamping: approvals), rejections: UInt32(clamping: rejections),
            liveMembers: UInt32(clamping: live), fencingToken: UInt64(token))
        logger.notice("re-broadcasting a decision found in Redis after expiry", metadata: ["proposal": "\(id)"])
        append(.decisions, .decision(decision), now: now)
    }

    /// Appends this agent's proposal and submits its own vote in one pipelined write: the
    /// XADD runs first, so the vote never precedes the proposal in Redis, and the proposer
    /// does not wait a hop to read its proposal back before voting.
    func appendProposal(_ proposal: Proposal, voting vote: VoteSubmission, now: UInt64) {
        open[proposal.id] = (proposal, vote.liveMembers)
        guard let bytes = sign(.proposal(proposal), sequence: proposalSequence.next(), wall: WallClock.nowNanos()) else { return }
        let script = tallyArguments(vote, proposal: bytes)
        let (scriptKeys, arguments) = script
        let xadd: [RedisArgument] = ["XADD", RedisArgument(keys.proposalStream), "MAXLEN", "~", RedisArgument(settings.streamMaxLength),
                                     "*", "m", RedisArgument(bytes: bytes)]
        let evalsha: [RedisArgument] = ["EVALSHA", RedisArgument(ClusterScripts.tally.sha1), RedisArgument(scriptKeys.count)]
            + scriptKeys + arguments
        let replies: [RedisReply]
        do throws(RedisError) {
            replies = try link.run(nowNs: now) { c throws(RedisError) in try c.pipeline([xadd, evalsha]) }
        } catch {
            failed("XADD proposal and vote", error)
            return
        }
        guard replies.count == 2 else {
            failed("XADD proposal and vote", RedisError.unexpectedReply(command: "XADD+EVALSHA", reply: "\(replies.count) replies"))
            return
        }
        if let message = replies[0].errorMessage {
            failed("XADD proposals", RedisError.server(command: "XADD", message: message))
            return
        }
        succeeded(now)
        stage(.proposalAppended, proposal.id)
        if let message = replies[1].errorMessage {
            // NOSCRIPT after a Redis restart: `submitVote` loads the script and retries.
            guard message.hasPrefix("NOSCRIPT") else {
                failed("vote on \(proposal.id)", RedisError.server(command: "EVALSHA", message: message))
                return
            }
            submitVote(vote, now: now, script: script)
            return
        }
        tallied(vote, reply: replies[1], now: now)
    }
}
