// One agent's cluster membership, assembled: the Coordination actor, its reader threads
// (pub/sub, proposal and decision streams) and its ticker.

import Hardware
import Logging
import Protocols
import Runtime
import Synchronization

/// Why an agent could not join.
public enum ClusterNodeError: Error, CustomStringConvertible {
    case invalidSettings(CoordinationConfigurationError)
    case runtime(RuntimeError)
    case hardware(HardwareError)
    case redis(RedisError)

    public var description: String {
        switch self {
        case let .invalidSettings(error): "cluster settings: \(error)"
        case let .runtime(error): "cannot spawn the Coordination actor: \(error)"
        case let .hardware(error): "cannot plan the Coordination executor: \(error)"
        case let .redis(error): "cannot start a Redis reader: \(error)"
        }
    }
}

/// A running cluster member. ``start(_:hooks:system:actorName:)`` spawns the
/// Coordination actor (in the given system, or in a one-executor system of its own),
/// joins, then starts the reader threads and the ticker; ``stop(leave:)`` undoes it.
public final class ClusterNode: Sendable {
    public let ref: ActorRef<CoordinationActor>
    /// The order gate (`isTradingAllowed`) the pipeline reads.
    public var gate: TradingGate { ref.actor.gate }
    public var actor: CoordinationActor { ref.actor }
    private let ownedSystem: ActorSystem?
    private let subscriber: RedisSubscriber
    private let proposals: RedisStreamConsumer
    private let decisions: RedisStreamConsumer
    private let ticker: TickerThread
    private let stopped = Atomic<Bool>(false)

    private init(ref: ActorRef<CoordinationActor>, ownedSystem: ActorSystem?, subscriber: RedisSubscriber,
                 proposals: RedisStreamConsumer, decisions: RedisStreamConsumer, ticker: TickerThread) {
        self.ref = ref
        self.ownedSystem = ownedSystem
        self.subscriber = subscriber
        self.proposals = proposals
        self.decisions = decisions
        self.ticker = ticker
    }

    /// Spawns and joins.
    /// - Parameters:
    ///   - system: the agent's actor system (its plan must place `actorName`); `nil` makes
    ///     a private system with one unpinned, parking executor.
    /// - Throws: `ClusterNodeError`. An unreachable Redis is not an error: the agent
    ///   self-halts after `agent_timeout_ms` and joins when Redis appears.
    public static func start(
        _ settings: CoordinationSettings, hooks: CoordinationHooks = CoordinationHooks(),
        system: ActorSystem? = nil, actorName: String = "coordination", idleStrategy: IdleStrategy = .park
    ) async throws(ClusterNodeError) -> ClusterNode {
        do { try settings.validate() } catch { throw .invalidSettings(error) }
        let owned: ActorSystem?
        if system == nil {
            do {
                let plan = try CorePlan.make([.init(name: actorName, latencyClass: .background, idleStrategy: idleStrategy)],
                                             topology: Topology.current())
                owned = try ActorSystem(plan: plan, configuration: .init(pinThreads: false, nodeLocalMemory: false))
            } catch let error as HardwareError {
                throw .hardware(error)
            } catch let error as RuntimeError {
                throw .runtime(error)
            } catch {
                throw .runtime(.systemStopped)
            }
        } else {
            owned = nil
        }
        guard let actors = system ?? owned else { throw .runtime(.systemStopped) }
        let ref: ActorRef<CoordinationActor>
        do {
            ref = try await actors.spawn(actorName, mailbox: ChannelConfiguration(name: actorName, capacity: 10_000, overflow: .reject)) { executor in
                CoordinationActor(executor: executor, settings: settings, hooks: hooks)
            }
        } catch {
            owned?.stop()
            throw .runtime(error)
        }
        await ref.actor.start()
        do {
            let node = try makeReaders(settings, ref: ref, owned: owned)
            return node
        } catch {
            owned?.stop()
            throw .redis(error)
        }
    }

    private static func makeReaders(_ settings: CoordinationSettings, ref: ActorRef<CoordinationActor>,
                                    owned: ActorSystem?) throws(RedisError) -> ClusterNode {
        let keys = ClusterKeys(namespace: settings.namespace)
        let config = settings.protocolConfiguration
        var subscriberRedis = settings.redis
        subscriberRedis.connectTimeoutMs = min(subscriberRedis.connectTimeoutMs, max(50, config.heartbeatIntervalMs))
        subscriberRedis.readTimeoutMs = max(3 * config.heartbeatIntervalMs, 300)  // own heartbeats keep it busy
        let backoff = ReconnectBackoff(initialNs: 10_000_000, maximumNs: UInt64(max(20, min(500, config.heartbeatIntervalMs))) * 1_000_000)
        let subscriber = try RedisSubscriber(
            configuration: subscriberRedis, channels: [keys.heartbeatChannel, keys.haltChannel], backoff: backoff
        ) { event in
            switch event {
            case let .message(channel, payload): ref.send(.pubsub(channel: channel, payload: payload))
            case let .connected(reconnected): ref.send(.readerConnected(source: "pubsub", reconnected: reconnected))
            case let .disconnected(error): ref.send(.readerDisconnected(source: "pubsub", error: error))
            case .subscribed, .patternMessage: break
            }
        }
        var streamRedis = settings.redis
        streamRedis.connectTimeoutMs = subscriberRedis.connectTimeoutMs
        let group = "agent:\(settings.agentID)"
        func consumer(_ stream: ClusterStream, _ key: String) throws(RedisError) -> RedisStreamConsumer {
            try RedisStreamConsumer(
                redis: streamRedis,
                consumer: .init(stream: key, group: group, consumer: settings.agentID, blockMs: 1000, groupStartID: "0"),
                backoff: backoff
            ) { event in
                switch event {
                case let .entries(entries, pending):
                    ref.send(.streamEntries(stream, entries, pending: pending, readAtNs: MonotonicClock().now()))
                case let .connected(reconnected): ref.send(.readerConnected(source: stream.rawValue, reconnected: reconnected))
                case let .disconnected(error): ref.send(.readerDisconnected(source: stream.rawValue, error: error))
                }
            }
        }
        let proposals = try consumer(.proposals, keys.proposalStream)
        let decisions: RedisStreamConsumer
        do {
            decisions = try consumer(.decisions, keys.decisionStream)
        } catch {
            subscriber.stop()
            proposals.stop()
            throw error
        }
        let ticker = TickerThread(name: "qa-tick-\(settings.agentID)", intervalNs: UInt64(settings.tickIntervalMs) * 1_000_000) {
            ref.send(.tick)
        }
        return ClusterNode(ref: ref, ownedSystem: owned, subscriber: subscriber, proposals: proposals,
                           decisions: decisions, ticker: ticker)
    }

    /// Stops the ticker and readers; with `leave`, deletes the member key and releases the
    /// lease first. Stops the private actor system if there is one.
    public func stop(leave: Bool = true) async {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        ticker.stop()
        subscriber.stop()
        proposals.stop()
        decisions.stop()
        if leave { await ref.actor.leave() }
        ownedSystem?.stop()
    }
}
