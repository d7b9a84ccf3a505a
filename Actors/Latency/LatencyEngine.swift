import Learning
import Protocols
import Runtime

/// The latency engine: a thin `SupervisedActor` shell over `PipelineCore`, placed
/// as a critical actor on a pinned executor. Ticks arrive through its channel
/// (drained in batches, no Task per tick); regime signals and model copies arrive
/// as messages from the regime and learning actors; control messages pause, resume
/// and halt trading.
public actor LatencyEngine: SupervisedActor {
    /// What the engine receives.
    public enum Message: Sendable {
        case tick(Tick)
        /// Latest regime of a symbol (state −1 = uncertain).
        case regime(symbol: Int32, state: Int8, confidence: Double)
        /// A new model copy from the learner.
        case model(ModelManager)
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
    private var core: PipelineCore

    public init(executor: any ActorExecutor, core: PipelineCore) {
        self.executor = executor
        self.core = core
        self.metrics = core.metrics
    }

    public func receive(_ message: Message) {
        switch message {
        case .tick(let tick):
            core.process(tick, clock: executor.clock)
        case .regime(let symbol, let state, let confidence):
            core.setRegime(symbol: symbol, state: state, confidence: confidence)
        case .model(let model):
            core.setPredictor(model)
        case .control(let control):
            apply(control)
        }
    }

    private func apply(_ control: Control) {
        switch control {
        case .pause: core.paused = true
        case .resume:
            core.paused = false
            core.halted = false
        case .halt: core.halted = true
        case .resetKillSwitch: core.resetKillSwitch()
        case .riskScale(let scale): core.setRiskScale(scale)
        case .publish: core.metrics.publish()
        }
    }

    /// The hot path has no state worth restoring from a snapshot except positions,
    /// which live in the venue and book: a restart keeps them (the snapshot is the core).
    public func snapshot() -> PipelineCore { core }
    public func restore(from snapshot: PipelineCore) { core = snapshot }

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

    /// The book, for tests and the summary.
    public func positionBook() -> Execution.PositionBook { core.book }
}

import Execution
