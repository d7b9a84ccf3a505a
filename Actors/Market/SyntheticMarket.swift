import CLinuxShim
import Foundation

/// The embedded default feed: a seeded, multi-symbol, regime-switching market
/// (Hamilton, 1989, Markov-switching volatility). Each symbol's log-returns follow a
/// three-state Markov chain — calm, normal, crisis — with state-dependent volatility
/// and a small AR(1) momentum term (so there is something to learn); the quoted
/// spread widens with volatility. Same seed, same ticks.
public final class SyntheticMarket: PollableMarketSource, @unchecked Sendable {
    // @unchecked: configuration is immutable; `run` is called on one thread at a time.

    /// Generator parameters.
    public struct Configuration: Sendable, Equatable {
        public var symbols: [String]
        public var seed: UInt64
        /// Ticks per second over all symbols; nil = as fast as possible.
        public var ratePerSecond: Double?
        /// Stop after this many ticks (nil: until stopped).
        public var maxTicks: Int?
        /// Per-tick return volatility in each regime (calm, normal, crisis).
        public var volatility: [Double]
        /// Probability of staying in the current regime at each tick.
        public var persistence: Double
        /// AR(1) coefficient of returns (momentum).
        public var momentum: Double
        public var startPrice: Double
        /// Spacing of exchange timestamps, ns.
        public var tickSpacingNanos: UInt64

        public init(symbols: [String] = ["BTC-USD", "ETH-USD", "SPY", "EURUSD"], seed: UInt64 = 42,
                    ratePerSecond: Double? = 10_000, maxTicks: Int? = nil,
                    volatility: [Double] = [0.0004, 0.0012, 0.004], persistence: Double = 0.9995,
                    momentum: Double = 0.15, startPrice: Double = 100, tickSpacingNanos: UInt64 = 100_000) {
            self.symbols = symbols
            self.seed = seed
            self.ratePerSecond = ratePerSecond
            self.maxTicks = maxTicks
            self.volatility = volatility
            self.persistence = persistence
            self.momentum = momentum
            self.startPrice = startPrice
            self.tickSpacingNanos = tickSpacingNanos
        }
    }

    public let configuration: Configuration
    public var name: String { "synthetic(seed \(configuration.seed))" }
    public var symbols: [String] { configuration.symbols }

    /// - Throws: `MarketError.invalidSpecification` for no symbols, bad volatilities or persistence.
    public init(_ configuration: Configuration) throws(MarketError) {
        guard !configuration.symbols.isEmpty else { throw .invalidSpecification("synthetic feed: at least one symbol is required") }
        guard configuration.volatility.count == 3, configuration.volatility.allSatisfy({ $0 > 0 && $0 < 0.5 }) else {
            throw .invalidSpecification("synthetic feed: volatility must be three per-tick values in (0, 0.5), got \(configuration.volatility)")
        }
        guard configuration.persistence > 0, configuration.persistence < 1 else {
            throw .invalidSpecification("synthetic feed: persistence \(configuration.persistence) must be in (0, 1)")
        }
        self.configuration = configuration
    }

    /// The generator's state, exposed so tests can compare decoded regimes with the truth.
    public struct State: Sendable {
        public var price: Double
        public var lastReturn: Double
        public var regime: Int
    }

    public func run(emit: (RawTick) -> Void, malformed: (String) -> Void, shouldStop: () -> Bool) throws(MarketError) {
        var generator = Generator(configuration)
        var pacer = Pacer(ratePerSecond: configuration.ratePerSecond)
        var produced = 0
        while !shouldStop() {
            if let max = configuration.maxTicks, produced >= max { return }
            pacer.wait()
            emit(generator.next())
            produced += 1
        }
    }

    public func makePoller() -> any MarketPoller { Poller(configuration) }

    /// The polled form of `run`: the same ticks on the same schedule (`run`'s `Pacer`, from
    /// when the poller is made; more than 10 ms behind it, the schedule restarts from now instead of
    /// bursting to catch up), for `maxTicks` ticks.
    final class Poller: MarketPoller {
        private var generator: Generator
        private var pacer: Pacer
        private let maxTicks: Int?
        private var produced = 0

        init(_ configuration: Configuration) {
            generator = Generator(configuration)
            pacer = Pacer(ratePerSecond: configuration.ratePerSecond)
            maxTicks = configuration.maxTicks
        }

        var nextDue: UInt64? {
            if let maxTicks, produced >= maxTicks { return nil }
            return pacer.dueNanos
        }

        func next(now: UInt64) -> RawTick {
            produced += 1
            pacer.take(now: now)
            return generator.next()
        }
    }

    /// Deterministic tick generator (no pacing, no threads): the same sequence `run` emits.
    public struct Generator: Sendable {
        let configuration: Configuration
        var random: SeededRandom
        public private(set) var states: [State]
        var cursor = 0
        var time: UInt64 = 1_700_000_000_000_000_000

        public init(_ configuration: Configuration) {
            self.configuration = configuration
            random = SeededRandom(seed: configuration.seed)
            states = configuration.symbols.indices.map { index in
                State(price: configuration.startPrice * (1 + 0.5 * Double(index)), lastReturn: 0, regime: 1)
            }
        }

        /// The next tick, round-robin over symbols.
        public mutating func next() -> RawTick {
            let index = cursor
            cursor = (cursor + 1) % states.count
            var state = states[index]
            if random.uniform() > configuration.persistence {
                let step = random.uniform() < 0.5 ? -1 : 1
                state.regime = min(2, max(0, state.regime + step))
            }
            let sigma = configuration.volatility[state.regime]
            let ret = configuration.momentum * state.lastReturn + sigma * random.normal()
            state.price *= _exp(ret)
            state.lastReturn = ret
            states[index] = state
            time &+= configuration.tickSpacingNanos
            let halfSpread = state.price * max(0.00005, sigma * 0.5)
            let size = (1 + 9 * random.uniform()).rounded()
            return RawTick(symbol: configuration.symbols[index], price: state.price, size: size,
                           bid: state.price - halfSpread, ask: state.price + halfSpread, timeNanos: time)
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#endif
