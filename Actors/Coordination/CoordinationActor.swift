// The Coordination actor: a thin shell that runs the cluster state machines (Membership,
// Consensus, HaltController, LeaderLease, ConnectivityMonitor) on a clock and carries
// their directives out over Redis. Reader threads and the ticker feed its channel.

import Logging
import Protocols
import Runtime

/// One agent's member of the cluster.
///
/// Runs on an executor of its own (`Coordination talks to Redis (own core)`): its short
/// Redis commands (PUBLISH, XADD, EVALSHA, SET) run synchronously on that executor's
/// thread through a ``CommandLink``; blocking reads (SUBSCRIBE, XREADGROUP BLOCK) run on
/// reader threads that send what they read to the actor's channel. The pipeline reads
/// ``isTradingAllowed`` (one atomic load) on the hot path; the control plane awaits
/// ``status()``, ``halt(reason:)``, ``resume(reason:operatorID:)``, ``propose(topic:value:)``.
public actor CoordinationActor: SupervisedActor {
    public typealias Message = CoordinationMessage
    public typealias Snapshot = CoordinationSnapshot

    nonisolated let executor: any ActorExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// The order gate the pipeline reads.
    public nonisolated let gate: TradingGate
    public nonisolated let settings: CoordinationSettings
    /// Redis key and channel names.
    public nonisolated let keys: ClusterKeys

    let codec: WireCodec
    let hooks: CoordinationHooks
    let logger: Logger
    let link: CommandLink
    let incarnation: UInt64
    /// Consumer group of this agent on the proposal and decision streams.
    nonisolated var group: String { "agent:\(settings.agentID)" }
    /// Shared consumer group that executes order intents once (shared book).
    static let executorsGroup = "executors"

    var membership: Membership
    var consensus: Consensus
    var halts: HaltController
    var lease: LeaderLease
    var connectivity: ConnectivityMonitor
    var pubsubGuard: ReplayGuard
    var proposalGuard: ReplayGuard
    var decisionGuard: ReplayGuard
    /// Freshness and replay checks of decision certificates.
    var certificates: CertificateAdmission
    var pubsubSequence: SequenceCounter
    var proposalSequence: SequenceCounter
    var decisionSequence: SequenceCounter
    var voteSequence: SequenceCounter
    var operatorSequence: SequenceCounter
    /// Proposals voted on and not yet decided, with the live count at voting time.
    var open: [ProposalID: (proposal: Proposal, live: Int)] = [:]
    var processedProposals = RecentIDs<String>(capacity: 8192)
    var processedDecisions = RecentIDs<String>(capacity: 8192)
    var executedIntents = RecentIDs<ProposalID>(capacity: 8192)
    var recent: [Decision] = []
    var leaderID: String?
    var extra = CoordinationCounters()
    var heartbeatCosts: [UInt64] = []
    var linkHealthy = true
    var nextPruneNs: UInt64 = 0
    var nextReclaimNs: UInt64 = 0
    var lastResumeOperator = ""
    var disconnectedReaders: Set<String> = []
    /// Proposal-stream entry IDs to acknowledge in the same pipelined write as the next
    /// vote (after the tally script, so an entry is never acknowledged before its vote):
    /// set by `handleEntries`, emptied by `submitVote` once sent.
    var acksWithVote: [String] = []

    /// - Parameters:
    ///   - executor: the executor it runs on (from `ActorSystem.spawn`).
    ///   - settings: identity, Redis, key, timings (validate them first).
    public init(executor: any ActorExecutor, settings: CoordinationSettings, hooks: CoordinationHooks = CoordinationHooks(),
                gate: TradingGate = TradingGate(), logger: Logger = Logger(label: "quantum-agent.coordination")) {
        self.executor = executor
        self.settings = settings
        self.hooks = hooks
        self.gate = gate
        self.logger = logger
        keys = ClusterKeys(namespace: settings.namespace)
        codec = WireCodec(key: settings.key)
        let config = settings.protocolConfiguration
        var redis = settings.redis
        redis.connectTimeoutMs = min(redis.connectTimeoutMs, max(50, config.heartbeatIntervalMs))
        redis.readTimeoutMs = min(max(redis.readTimeoutMs, 1), max(200, config.agentTimeoutMs / 2))
        let maxBackoff = UInt64(max(20, min(500, config.heartbeatIntervalMs))) * 1_000_000
        link = CommandLink(configuration: redis, backoff: ReconnectBackoff(initialNs: 10_000_000, maximumNs: maxBackoff))
        let now = executor.clock.now()
        let wall = WallClock.nowNanos()
        incarnation = wall
        let rule = (try? QuorumRule(threshold: config.consensusThreshold)) ?? QuorumRule.strictMajorityFallback
        membership = Membership(selfID: settings.agentID, configuration: config)
        consensus = Consensus(selfID: settings.agentID, rule: rule, configuration: config, firstNumber: wall)
        halts = HaltController(selfID: settings.agentID, coordinationEnabled: config.emergencyCoordinationEnabled)
        lease = LeaderLease(ownerToken: "\(settings.agentID):\(wall)", ttlMs: config.leaseTTLMs)
        connectivity = ConnectivityMonitor(configuration: config, startNs: now)
        let window = ReplayGuard.Configuration(maxAgeNs: UInt64(max(5000, config.agentTimeoutMs)) * 1_000_000)
        pubsubGuard = ReplayGuard(configuration: window)
        proposalGuard = ReplayGuard(configuration: window)
        decisionGuard = ReplayGuard(configuration: window)
        certificates = CertificateAdmission(configuration: window)
        pubsubSequence = SequenceCounter(startingAtNs: wall)
        proposalSequence = SequenceCounter(startingAtNs: wall)
        decisionSequence = SequenceCounter(startingAtNs: wall)
        voteSequence = SequenceCounter(startingAtNs: wall)
        operatorSequence = SequenceCounter(startingAtNs: wall)
    }

    /// Whether this agent may send orders now (cluster not halted, Redis reachable).
    public nonisolated var isTradingAllowed: Bool { gate.isTradingAllowed }

    var now: UInt64 { executor.clock.now() }

    // MARK: SupervisedActor

    public func receive(_ message: CoordinationMessage) {
        let now = self.now
        switch message {
        case .tick:
            tick(now)
        case let .pubsub(channel, payload):
            succeeded(now)
            handlePubSub(channel: channel, payload: payload, now: now)
        case let .streamEntries(stream, entries, pending, readAtNs):
            succeeded(now)
            handleEntries(stream, entries, pending: pending, readAtNs: readAtNs, now: now)
        case let .readerConnected(source, reconnected):
            succeeded(now)
            disconnectedReaders.remove(source)
            if reconnected {
                logger.info("cluster reader reconnected", metadata: ["reader": "\(source)"])
                refreshHalt(now)
            }
        case let .readerDisconnected(source, error):
            // Once per outage; the reader retries with backoff and would repeat it each time.
            let level: Logger.Level = disconnectedReaders.insert(source).inserted ? .notice : .debug
            logger.log(level: level, "cluster reader disconnected", metadata: ["reader": "\(source)", "error": "\(error)"])
        case let .propose(topic, value):
            _ = propose(topic: topic, value: value)
        case let .halt(reason):
            halt(reason: reason)
        }
    }

    public func snapshot() -> CoordinationSnapshot {
        CoordinationSnapshot(halt: halts.halt, lastAppliedToken: consensus.lastAppliedToken, recentDecisions: recent)
    }

    public func restore(from snapshot: CoordinationSnapshot) {
        perform(halts.restore(persisted: snapshot.halt), now)
        consensus.restore(lastAppliedToken: snapshot.lastAppliedToken)
        recent = snapshot.recentDecisions
        membership.reset()
    }

    // MARK: Control plane

    /// Joins: loads the scripts, creates this agent's consumer groups (new entries only),
    /// adopts a persisted halt and reads the recent decisions. Call once after spawning,
    /// before starting the reader threads. Without Redis it logs and returns `false`: the
    /// agent then self-halts after `agent_timeout_ms` and joins when Redis appears.
    @discardableResult
    public func start() -> Bool {
        let now = self.now
        do {
            let (persisted, history) = try link.run(nowNs: now) { c throws(RedisError) -> ([UInt8]?, RedisReply) in
                for script in [ClusterScripts.tally, ClusterScripts.leaseRenew, ClusterScripts.leaseRelease] {
                    try c.scriptLoad(script)
                }
                try c.xgroupCreate(keys.proposalStream, group: group, startID: "$")
                try c.xgroupCreate(keys.decisionStream, group: group, startID: "$")
                if settings.sharedBook { try c.xgroupCreate(keys.decisionStream, group: Self.executorsGroup, startID: "$") }
                let halt = try c.command(["GET", RedisArgument(keys.haltState)])
                let history = try c.command(["XREVRANGE", RedisArgument(keys.decisionStream), "+", "-",
                                             "COUNT", RedisArgument(settings.recentDecisions)])
                if case let .bulk(bytes) = halt { return (bytes, history) }
                return (nil, history)
            }
            succeeded(now)
            if let persisted { perform(halts.restore(persisted: HaltRecord.decode(persisted)), now) }
            recent = ClusterInspector.decisions(fromRange: history, codec: codec).reversed()
            emit(.started, now)
            return true
        } catch {
            failed("start", error)
            return false
        }
    }

    /// The cluster as this agent sees it: live members with heartbeat ages, the leader,
    /// the halt, the last decisions with their fencing tokens.
    public func status() -> ClusterStatus {
        let now = self.now
        let members = membership.liveMembers.map { id in
            ClusterStatus.Member(id: id, heartbeatAgeMs: Int64((membership.heartbeatAgeNs(of: id, nowNs: now) ?? 0) / 1_000_000))
        }
        let leader = lease.isLeader(nowNs: now) ? settings.agentID : leaderID
        return ClusterStatus(members: members, leader: leader, halted: halts.isHalted, halt: halts.halt,
                             decisions: recent.reversed().map(ClusterStatus.DecisionSummary.init))
    }

    /// Counters: messages accepted and dropped per reason, consensus, self-halts, evictions.
    public func counters() -> CoordinationCounters {
        var result = extra
        result.messages = pubsubGuard.counters + proposalGuard.counters + decisionGuard.counters + certificates.counters
        result.consensus = consensus.counters
        result.selfHalts = connectivity.selfHalts
        result.redisFailures = link.failures
        return result
    }

    /// Durations of the last heartbeat round trips (PUBLISH + member key + halt/leader
    /// reads, one pipelined write), ns.
    public func heartbeatCostsNs() -> [UInt64] { heartbeatCosts }

    /// Raises an emergency halt: stops own orders at once, persists and broadcasts it.
    public func halt(reason: String) {
        perform(halts.raise(reason: reason, wallClockNs: WallClock.nowNanos()), now)
    }

    /// Lifts the emergency halt on an operator's behalf (the control plane has checked the
    /// operator role): clears the persisted halt and broadcasts the resume.
    public func resume(reason: String, operatorID: String) {
        lastResumeOperator = operatorID
        perform(halts.resume(by: .operator(operatorID), reason: reason, broadcast: true), now)
    }

    /// Proposes a value to the cluster; the decision arrives as a
    /// ``CoordinationEvent/decisionApplied(_:)`` event on every agent.
    @discardableResult
    public func propose(topic: DecisionTopic, value: [UInt8]) -> ProposalID {
        let now = self.now
        let live = membership.liveCount
        let (id, directives) = consensus.propose(topic: topic, value: value, wallClockNs: WallClock.nowNanos(),
                                                 liveMembers: live, nowNs: now, evaluate: hooks.evaluate)
        stage(.proposeHandled, id, at: now)
        perform(directives, now)
        return id
    }

    /// Leaves the cluster gracefully: deletes the member key and releases the lease.
    public func leave() {
        let now = self.now
        perform(lease.release(nowNs: now), now)
        do {
            try link.run(nowNs: now) { c throws(RedisError) in _ = try c.command(["DEL", RedisArgument(keys.member(settings.agentID))]) }
        } catch {
            failed("leave", error)
        }
        link.close()
    }

    // MARK: Clock

    func tick(_ now: UInt64) {
        var ages: [String: UInt64] = [:]
        for peer in membership.peers { ages[peer.id] = now >= peer.lastHeartbeatNs ? now - peer.lastHeartbeatNs : 0 }
        perform(membership.tick(nowNs: now), now, ages: ages)
        perform(consensus.tick(nowNs: now), now)
        perform(lease.tick(nowNs: now), now)
        perform(connectivity.tick(nowNs: now), now)
        if settings.sharedBook { pollIntents(now) }
        if now >= nextPruneNs {
            let wall = WallClock.nowNanos()
            pubsubGuard.prune(nowNs: wall)
            proposalGuard.prune(nowNs: wall)
            decisionGuard.prune(nowNs: wall)
            certificates.prune(nowNs: wall)
            nextPruneNs = now + 1_000_000_000
        }
    }

    // MARK: Helpers

    func emit(_ event: CoordinationEvent, _ now: UInt64) { hooks.onEvent?(event, now) }

    /// Reports a stage of `id`'s path at `ns` (default: now); free without an `onStage` hook.
    func stage(_ stage: ConsensusStage, _ id: ProposalID, at ns: UInt64? = nil) {
        guard let onStage = hooks.onStage else { return }
        onStage(stage, id, ns ?? self.now)
    }

    func succeeded(_ now: UInt64) {
        if !linkHealthy {
            linkHealthy = true
            logger.info("Redis reachable again", metadata: ["agent": "\(settings.agentID)"])
        }
        perform(connectivity.redisSucceeded(nowNs: now), now)
    }

    func failed(_ operation: String, _ error: any Error) {
        if linkHealthy {
            linkHealthy = false
            logger.warning("Redis command failed", metadata: ["operation": "\(operation)", "error": "\(error)"])
        } else {
            logger.debug("Redis command failed", metadata: ["operation": "\(operation)", "error": "\(error)"])
        }
    }

    func remember(_ decision: Decision) {
        recent.append(decision)
        if recent.count > settings.recentDecisions { recent.removeFirst(recent.count - settings.recentDecisions) }
    }
}

extension QuorumRule {
    /// Used only if a configuration that failed validation slips through: 0.75.
    static let strictMajorityFallback: QuorumRule = {
        do { return try QuorumRule(threshold: 0.75) } catch { preconditionFailure("0.75 is a valid threshold") }
    }()
}
