// Observable events of the Coordination actor (for the pipeline, logs, tests and perf).

import Protocols

/// Something the Coordination actor did or saw. Delivered to ``CoordinationHooks/onEvent``
/// on the actor's executor thread with the monotonic time (ns) it happened at; the hook
/// must return quickly.
public enum CoordinationEvent: Sendable, Equatable {
    /// Prepared: groups created, scripts loaded, persisted halt read.
    case started
    case memberJoined(String)
    case memberRestarted(String)
    /// Evicted after `silenceNs` without a heartbeat.
    case memberEvicted(String, silenceNs: UInt64)
    /// A decision was applied (its fencing token is now current).
    case decisionApplied(Decision)
    /// A decision with a fencing token not newer than the last applied was refused.
    case staleDecisionRefused(Decision, lastApplied: UInt64)
    /// A rejected decision was seen.
    case decisionRejected(Decision)
    /// A proposal's deadline passed without a decision.
    case proposalExpired(ProposalID)
    /// Trading stopped by a cluster emergency halt.
    case halted(HaltRecord)
    /// An operator lifted the halt.
    case resumed(operatorID: String)
    /// A resume from a non-operator sender was refused.
    case resumeRefused(from: String)
    /// Redis unreachable for `agent_timeout_ms`: own trading halted.
    case selfHalted
    /// Redis reachable again after a self-halt.
    case rejoined
    case becameLeader
    case lostLeadership
    /// An incoming message was dropped (forged, replayed, stale, malformed…).
    case messageDropped(DropReason, sender: String?)
    /// An approved order intent of the shared book was executed by this agent
    /// (`reclaimed`: taken over from a dead agent with XAUTOCLAIM).
    case intentExecuted(Decision, reclaimed: Bool)
}

/// Points on a decision's path, in order, reported through ``CoordinationHooks/onStage``
/// so `perf consensus` can show where the time goes. Each agent reports the stages it
/// passes; the times are monotonic ns.
public enum ConsensusStage: String, Sendable, CaseIterable, Codable {
    /// The proposer's actor began handling the propose request.
    case proposeHandled = "propose_handled"
    /// The proposer's XADD of the proposal was answered.
    case proposalAppended = "proposal_appended"
    /// A reader thread of this agent received the proposal entry.
    case proposalRead = "proposal_read"
    /// This agent's actor began handling the proposal entry.
    case proposalHandled = "proposal_handled"
    /// This agent's vote (EVALSHA tally) was answered.
    case voteTallied = "vote_tallied"
    /// The deciding agent's XADD of the decision was answered.
    case decisionAppended = "decision_appended"
    /// A reader thread of this agent received the decision entry.
    case decisionRead = "decision_read"
    /// This agent applied the decision.
    case decisionApplied = "decision_applied"
}

/// Callbacks through which the owner of a Coordination actor plugs in.
public struct CoordinationHooks: Sendable {
    /// Every event, with its monotonic time in ns (on the actor's thread).
    public var onEvent: (@Sendable (CoordinationEvent, UInt64) -> Void)?
    /// Stages of each proposal's path with their monotonic times in ns (on the actor's
    /// thread; reader-thread stages carry the time the reader stamped). For benchmarks;
    /// `nil` costs nothing.
    public var onStage: (@Sendable (ConsensusStage, ProposalID, UInt64) -> Void)?
    /// This agent's vote on a proposal (default: approve).
    public var evaluate: @Sendable (Proposal) -> Bool
    /// Executes an approved order intent of the shared book; return `false` to leave it
    /// pending (it is then reclaimed later). Default: accept.
    public var executeIntent: @Sendable (Decision) -> Bool

    public init(
        onEvent: (@Sendable (CoordinationEvent, UInt64) -> Void)? = nil,
        evaluate: @escaping @Sendable (Proposal) -> Bool = { _ in true },
        executeIntent: @escaping @Sendable (Decision) -> Bool = { _ in true },
        onStage: (@Sendable (ConsensusStage, ProposalID, UInt64) -> Void)? = nil
    ) {
        self.onEvent = onEvent
        self.onStage = onStage
        self.evaluate = evaluate
        self.executeIntent = executeIntent
    }
}
