import Learning
import Protocols
import Runtime

/// The latency engine: a thin `SupervisedActor` shell over `PipelineCore`, placed
/// as a critical actor on a pinned executor. Ticks arrive through its `TickMailbox`
/// (drained in batches, no Task per tick, conflated per symbol above a watermark);
/// regime signals and compiled model copies arrive as messages on its channel from
/// the regime and learning actors, and control messages pause, resume and halt
/// trading — that channel carries no ticks, so load shedding never drops them.
public actor LatencyEngine: SupervisedActor {
    /// What the engine receives.
    public enum Message: Sendable {
        /// A tick through the control channel (tests and replay; live ticks use `ticks`).
        case tick(Tick)
        /// Latest regime of a symbol (state −1 = uncertain).
        case regime(symbol: Int32, state: Int8, confidence: Double)
        /// A new model from the learner, compiled for inference.
        case model(InferenceModel)
        case control(Control)
    }

    /// Operator and cluster controls.
    public enum Control: Sendable, Equatable {
        case pause
        case resume
        case halt
        case resetKillSwitch
        /// Scale risk (0...1) after a VaR or stress breach.
        case riskScale(Double)
        /// Publish metrics now (for status and shutdown).
        case publish
    }

    /// The book's equity, and position and last price per symbol (index order): the inputs
    /// of `RiskMonitor.record(equity:)` and `evaluate(positions:prices:)`.
    public struct RiskInputs: Sendable, Equatable {
        public var equity: Double
        public var positions: [Double]
        public var prices: [Double]
    }

    /// A summary for the status line and the control plane.
    public struct Status: Sendable, Codable, Equatable {
        public var positions: [String: Double]
        public var regimes: [String: Int]
        public var probabilities: [String: Double]
        public var equity: Double
        public var realisedPnL: Double
        public var unrealisedPnL: Double
        public var drawdown: Double
        public var openOrders: Int
        public var paused: Bool
        public var halted: Bool
        public var killSwitch: Bool
    }

    nonisolated public let executor: any ActorExecutor
    nonisolated public var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    nonisolated public let metrics: PipelineMetrics
    /// The market-data inbox (nil when ticks come through `Message.tick` only).
    nonisolated public let ticks: TickMailbox?
    private let cell: CoreCell
    private let control: Channel<Message>?
    /// The core, in place (reads and mutations go through the cell's pointer, never a copy).
    private var core: PipelineCore {
        _read { yield cell.pointer.pointee }
        _modify { yield &cell.pointer.pointee }
    }

    /// - Parameters:
    ///   - ticks: bound here to the engine's executor; its ticks run through the core.
    ///   - control: the engine's own mailbox (the channel it is spawned with). When given,
    ///     the tick handler applies whatever is waiting there (regime signals, models,
    ///     controls) before each tick, in order, straight from the ring: a regime signal
    ///     per tick would otherwise cost a separate pass of the executor's loop and a
    ///     supervised delivery each. The actor cell still delivers what arrives between ticks.
    public init(executor: any ActorExecutor, core: PipelineCore, ticks: TickMailbox? = nil,
                control: Channel<Message>? = nil) {
        self.executor = executor
        let cell = CoreCell(core)
        self.cell = cell
        self.metrics = core.metrics
        self.ticks = ticks
        // The handler runs on the executor's thread, like every isolated method, so it
        // may use the core directly: no `assumeIsolated` check and no actor reference
        // per tick (the fast path the per-tick budget asks for).
        self.control = control
        if let ticks { ticks.bind(to: executor, handler: Self.tickHandler(cell: cell, control: control, clock: executor.clock)) }
    }

    /// The handler of every tick: what waits in the control channel first, then the pipeline.
    /// With the monotonic clock (every live executor) the core reads it inline rather than
    /// through the existential: nine reads per tick.
    private static func tickHandler(cell: CoreCell, control: Channel<Message>?, clock: any NanoClock) -> (Tick) -> Void {
        if clock is MonotonicClock {
            let clock = MonotonicClock()
            return { tick in
                if let control { Self.applyWaiting(control, core: cell.pointer, clock: clock) }
                cell.pointer.pointee.process(tick, clock: clock)
            }
        }
        return { tick in
            if let control { Self.applyWaiting(control, core: cell.pointer, clock: clock) }
            cell.pointer.pointee.process(tick, clock: clock)
        }
    }

    /// Applies every message waiting in `control`, timed as the `control` stage when there was one.
    @inline(__always)
    private static func applyWaiting<Clock: NanoClock>(_ control: Channel<Message>, core: UnsafeMutablePointer<PipelineCore>,
                                                       clock: Clock) {
        guard var message = control.receive() else { return }
        let start = clock.now()
        while true {
            handle(message, core: core, clock: clock)
            guard let next = control.receive() else { break }
            message = next
        }
        core.pointee.metrics.stage(.control, clock.now() &- start)
    }

    /// A handler that runs one tick through the pipeline at once, for a feed polled on the
    /// engine's own executor thread (`FeedDriver.startPolled`): the same path as a tick from
    /// the mailbox, without the mailbox. Call it on the engine's executor thread only.
    nonisolated public func inlineTickHandler() -> (Tick) -> Void {
        Self.tickHandler(cell: cell, control: control, clock: executor.clock)
    }

    /// Applies one message to the core (on the engine's executor thread).
    private static func handle(_ message: Message, core: UnsafeMutablePointer<PipelineCore>, clock: any NanoClock) {
        switch message {
        case .tick(let tick):
            core.pointee.process(tick, clock: clock)
        case .regime(let symbol, let state, let confidence):
            core.pointee.setRegime(symbol: symbol, state: state, confidence: confidence)
        case .model(let model):
            core.pointee.setPredictor(model)
        case .control(let control):
            switch control {
            case .pause: core.pointee.paused = true
            case .resume:
                core.pointee.paused = false
                core.pointee.halted = false
            case .halt: core.pointee.halted = true
            case .resetKillSwitch: core.pointee.resetKillSwitch()
            case .riskScale(let scale): core.pointee.setRiskScale(scale)
            case .publish: core.pointee.metrics.publish()
            }
        }
    }

    public func receive(_ message: Message) { Self.handle(message, core: cell.pointer, clock: executor.clock) }

    /// What a restart restores: nothing. `receive` never throws, so the engine restarts
    /// only when its supervisor asks, and then the live core — positions, open orders,
    /// the venue's pending fills — is the truth; a copy taken earlier would forget
    /// fills. (Copying the core would also cost the hot path: the next tick would
    /// copy-on-write megabytes of venue slots.)
    public struct Snapshot: Sendable, Equatable {}
    public func snapshot() -> Snapshot { Snapshot() }
    public func restore(from snapshot: Snapshot) {}

    /// Stops sending orders for good (shutdown, before the journal closes); ticks are still
    /// processed. Runs between two messages, so when it returns no order is half sent.
    public func stopOrders() { core.closing = true }

    /// Publishes metrics and returns a status summary.
    public func status() -> Status {
        core.metrics.publish()
        let names = core.configuration.symbols.names
        var positions: [String: Double] = [:]
        var regimes: [String: Int] = [:]
        var probabilities: [String: Double] = [:]
        for (index, name) in names.enumerated() {
            positions[name] = core.book.position(Int32(index))
            regimes[name] = Int(core.regimes[index])
            probabilities[name] = core.lastProbability[index]
        }
        return Status(positions: positions, regimes: regimes, probabilities: probabilities, equity: core.book.equity,
                      realisedPnL: core.book.realisedPnL, unrealisedPnL: core.book.unrealisedPnL,
                      drawdown: core.book.drawdown, openOrders: core.venue.openOrders, paused: core.paused,
                      halted: core.halted, killSwitch: core.killSwitchTripped)
    }

    /// The book, for tests and the summary (a copy: the engine's next fill then copies
    /// the book's arrays on write — use `riskInputs()` for periodic reads).
    public func positionBook() -> Execution.PositionBook { core.book }

    /// What the periodic VaR and stress report needs, read in place (no copy of the book).
    public func riskInputs() -> RiskInputs {
        let book = core.book
        let count = core.configuration.symbols.count
        var inputs = RiskInputs(equity: book.equity, positions: [], prices: [])
        inputs.positions.reserveCapacity(count)
        inputs.prices.reserveCapacity(count)
        for index in 0..<count {
            inputs.positions.append(book.position(Int32(index)))
            inputs.prices.append(book.lastPrice(Int32(index)))
        }
        return inputs
    }
}

import Execution

extension LatencyEngine {
    /// Hands a tick to the engine's `TickMailbox` from any thread (conflating above its
    /// watermark); `.rejected` when the engine was built without one (then send
    /// `Message.tick` through its channel).
    @discardableResult
    nonisolated public func submit(_ tick: Tick) -> SendOutcome {
        ticks?.send(tick) ?? .rejected
    }
}

/// The engine's `PipelineCore` in stable memory, shared by the actor and its tick
/// handler. `@unchecked Sendable`: the core is touched only on the engine executor's
/// thread — by the actor's isolated methods and by the tick handler the executor calls.
final class CoreCell: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<PipelineCore>

    init(_ core: PipelineCore) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: core)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}
