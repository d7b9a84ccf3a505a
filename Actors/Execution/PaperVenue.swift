import Protocols

/// A simulated venue: seeded, deterministic, allocation-free after init.
///
/// Lifecycle of an accepted order: `submit` → `.new`; after `ackLatencyNanos` → `.acknowledged`
/// (or `.rejected`/`venueReject` with `rejectProbability`); from then on every
/// `fillLatencyNanos` a fill attempt against the last price given by `mark(symbol:price:)`,
/// moved against the order by `slippageBps` (buy: mark × (1 + bps/10⁴), sell: × (1 − bps/10⁴)).
/// The attempt fills when that price is within the limit (otherwise the order rests and is
/// retried); with `partialFillProbability` it fills 20–80% of what is left (`.partiallyFilled`),
/// else everything (`.filled`). `cancel` ends an open order at once (`.cancelled`).
///
/// Events are kept in two time-ordered rings (acks, fill attempts), so `poll` is O(reports
/// produced); a due time that would fall before the ring's last one is clamped up to it.
public struct PaperVenue: OrderVenue, Sendable {
    /// Venue parameters. Times in ns, slippage in bps, probabilities in 0...1.
    public struct Configuration: Sendable, Equatable, Codable {
        public var ackLatencyNanos: UInt64
        public var fillLatencyNanos: UInt64
        public var slippageBps: Double
        public var partialFillProbability: Double
        public var rejectProbability: Double
        public var seed: UInt64
        /// Open orders at most; a submit beyond it is rejected (`venueReject`).
        public var capacity: Int
        /// Symbols (dense indices 0..<symbols) the venue keeps a mark price for.
        public var symbols: Int

        public init(ackLatencyNanos: UInt64 = 20_000, fillLatencyNanos: UInt64 = 100_000, slippageBps: Double = 1,
                    partialFillProbability: Double = 0.1, rejectProbability: Double = 0.001, seed: UInt64 = 42,
                    capacity: Int = 65_536, symbols: Int = 64) {
            self.ackLatencyNanos = ackLatencyNanos
            self.fillLatencyNanos = fillLatencyNanos
            self.slippageBps = slippageBps
            self.partialFillProbability = partialFillProbability
            self.rejectProbability = rejectProbability
            self.seed = seed
            self.capacity = capacity
            self.symbols = symbols
        }

        /// - Throws: `PaperVenueError.invalid` naming the bad parameter.
        public func validate() throws(PaperVenueError) {
            guard slippageBps.isFinite, slippageBps >= 0, slippageBps < 10_000 else {
                throw .invalid(key: "slippage_bps", value: "\(slippageBps)", allowed: "a number in 0..<10000")
            }
            for (key, p) in [("partial_fill_probability", partialFillProbability), ("reject_probability", rejectProbability)]
            where !(p >= 0 && p <= 1) {
                throw .invalid(key: key, value: "\(p)", allowed: "a probability in 0...1")
            }
            guard capacity >= 1, capacity <= 1 << 24 else {
                throw .invalid(key: "capacity", value: "\(capacity)", allowed: "1...16777216 open orders")
            }
            guard symbols >= 1, symbols <= 1 << 20 else {
                throw .invalid(key: "symbols", value: "\(symbols)", allowed: "1...1048576")
            }
        }
    }

    private struct Slot: Sendable {
        var order: OrderRequest
        var cumulative: Double
        var status: OrderStatus
    }

    /// The venue's parameters.
    public let configuration: Configuration
    private var slots: [Slot]
    private var free: [Int32]
    private var freeCount: Int
    private var index: OrderIndex
    private var acks: EventRing
    private var fills: EventRing
    private var marks: [Double]
    private var random: SplitMix64
    /// Orders accepted by `submit`.
    public private(set) var accepted: UInt64 = 0
    /// Orders rejected (at submit or at ack).
    public private(set) var rejected: UInt64 = 0
    /// Fill reports produced (partial and full).
    public private(set) var fillCount: UInt64 = 0
    /// Orders cancelled.
    public private(set) var cancelled: UInt64 = 0

    /// - Throws: `PaperVenueError.invalid` when a parameter is out of range.
    public init(configuration: Configuration = .init()) throws(PaperVenueError) {
        try configuration.validate()
        self.configuration = configuration
        let placeholder = OrderRequest(id: 0, decisionID: 0, symbol: 0, side: .buy, quantity: 0, limitPrice: 0,
                                       ingressNanos: 0, createdNanos: 0)
        slots = [Slot](repeating: Slot(order: placeholder, cumulative: 0, status: .filled), count: configuration.capacity)
        free = (0..<Int32(configuration.capacity)).reversed()
        freeCount = configuration.capacity
        index = OrderIndex(capacity: configuration.capacity)
        acks = EventRing(capacity: configuration.capacity)
        fills = EventRing(capacity: configuration.capacity)
        marks = [Double](repeating: 0, count: configuration.symbols)
        random = SplitMix64(seed: configuration.seed)
    }

    /// Orders not yet terminal.
    public var openOrders: Int { index.count }

    /// The last mark of a symbol (0 before any).
    public func lastPrice(symbol: Int32) -> Double {
        Int(symbol) >= 0 && Int(symbol) < marks.count ? marks[Int(symbol)] : 0
    }

    public mutating func mark(symbol: Int32, price: Double) {
        let i = Int(symbol)
        guard i >= 0, i < marks.count, price.isFinite, price > 0 else { return }
        marks[i] = price
    }

    public mutating func submit(_ order: OrderRequest, now: UInt64) -> ExecutionReport {
        let valid = order.quantity.isFinite && order.quantity > 0 && order.limitPrice.isFinite && order.limitPrice > 0
            && Int(order.symbol) >= 0 && Int(order.symbol) < marks.count
        guard valid else { return reject(order, reason: .invalidOrder, now: now) }
        // A duplicate id is an invalid order, also when the venue is full.
        guard freeCount > 0 else {
            return reject(order, reason: index.find(order.id) == nil ? .venueReject : .invalidOrder, now: now)
        }
        let slot = free[freeCount - 1]
        guard index.insertIfAbsent(order.id, slot: slot) else { return reject(order, reason: .invalidOrder, now: now) }
        freeCount -= 1
        slots[Int(slot)] = Slot(order: order, cumulative: 0, status: .new)
        acks.push(slot: slot, due: now &+ configuration.ackLatencyNanos)
        accepted += 1
        return ExecutionReport(orderID: order.id, symbol: order.symbol, side: order.side, status: .new,
                               cumulativeQuantity: 0, leavesQuantity: order.quantity, timeNanos: now)
    }

    public mutating func cancel(orderID: UInt64, now: UInt64) -> ExecutionReport? {
        guard let slot = index.remove(orderID) else { return nil }
        slots[Int(slot)].status = .cancelled  // the slot is freed when its pending event pops
        cancelled += 1
        let s = slots[Int(slot)]
        return ExecutionReport(orderID: orderID, symbol: s.order.symbol, side: s.order.side, status: .cancelled,
                               cumulativeQuantity: s.cumulative, leavesQuantity: 0, timeNanos: now)
    }

    public mutating func poll(now: UInt64, into reports: inout ExecutionReportBuffer) -> Int {
        var produced = 0
        while !reports.isFull {
            let ackDue = acks.frontDue
            let fillDue = fills.frontDue
            let takeAck: Bool
            if let a = ackDue, a <= now, fillDue == nil || a <= fillDue ?? .max {
                takeAck = true
            } else if let f = fillDue, f <= now {
                takeAck = false
            } else {
                break
            }
            let event = takeAck ? acks.pop() : fills.pop()
            let report = takeAck ? acknowledge(event) : attemptFill(event, now: now)
            if let report {
                reports.append(report)
                produced += 1
            }
        }
        return produced
    }

    // MARK: - Events

    private mutating func acknowledge(_ event: EventRing.Event) -> ExecutionReport? {
        let i = Int(event.slot)
        guard slots[i].status == .new else { release(event.slot); return nil }  // cancelled meanwhile
        let order = slots[i].order
        if configuration.rejectProbability > 0, random.nextUnit() < configuration.rejectProbability {
            finish(event.slot, orderID: order.id)
            rejected += 1
            return ExecutionReport(orderID: order.id, symbol: order.symbol, side: order.side, status: .rejected,
                                   cumulativeQuantity: 0, leavesQuantity: 0, reason: .venueReject, timeNanos: event.due)
        }
        slots[i].status = .acknowledged
        fills.push(slot: event.slot, due: event.due &+ configuration.fillLatencyNanos)
        return ExecutionReport(orderID: order.id, symbol: order.symbol, side: order.side, status: .acknowledged,
                               cumulativeQuantity: 0, leavesQuantity: order.quantity, timeNanos: event.due)
    }

    private mutating func attemptFill(_ event: EventRing.Event, now: UInt64) -> ExecutionReport? {
        let i = Int(event.slot)
        let status = slots[i].status
        guard status == .acknowledged || status == .partiallyFilled else { release(event.slot); return nil }
        let order = slots[i].order
        let next = event.due &+ configuration.fillLatencyNanos
        let mark = marks[Int(order.symbol)]
        let slip = configuration.slippageBps / 10_000
        let price = order.side == .buy ? mark * (1 + slip) : mark * (1 - slip)
        let marketable = mark > 0 && (order.side == .buy ? price <= order.limitPrice : price >= order.limitPrice)
        guard marketable else {
            // Resting: marks cannot change within this poll, so the retry is after `now`
            // (also keeps a zero fill latency from looping here forever).
            fills.push(slot: event.slot, due: max(next, now &+ 1))
            return nil
        }
        let leaves = order.quantity - slots[i].cumulative
        var quantity = leaves
        if configuration.partialFillProbability > 0, random.nextUnit() < configuration.partialFillProbability {
            let part = leaves * (0.2 + 0.6 * random.nextUnit())
            if leaves - part > order.quantity * 1e-9 { quantity = part }
        }
        slots[i].cumulative += quantity
        fillCount += 1
        let done = quantity == leaves
        if done {
            slots[i].cumulative = order.quantity
            finish(event.slot, orderID: order.id)
        } else {
            slots[i].status = .partiallyFilled
            fills.push(slot: event.slot, due: next)
        }
        return ExecutionReport(orderID: order.id, symbol: order.symbol, side: order.side,
                               status: done ? .filled : .partiallyFilled, lastQuantity: quantity, lastPrice: price,
                               cumulativeQuantity: done ? order.quantity : slots[i].cumulative,
                               leavesQuantity: done ? 0 : order.quantity - slots[i].cumulative, timeNanos: event.due)
    }

    private mutating func reject(_ order: OrderRequest, reason: RejectReason, now: UInt64) -> ExecutionReport {
        rejected += 1
        return ExecutionReport(orderID: order.id, symbol: order.symbol, side: order.side, status: .rejected,
                               cumulativeQuantity: 0, leavesQuantity: 0, reason: reason, timeNanos: now)
    }

    /// Terminal: forget the id and free the slot (its event has just popped).
    private mutating func finish(_ slot: Int32, orderID: UInt64) {
        _ = index.remove(orderID)
        release(slot)
    }

    private mutating func release(_ slot: Int32) {
        slots[Int(slot)].status = .filled
        free[freeCount] = slot
        freeCount += 1
    }
}

/// Why a paper venue could not be built.
public enum PaperVenueError: Error, Equatable, CustomStringConvertible {
    /// A parameter out of range: its key (as in config `execution.paper.*`), value and what is allowed.
    case invalid(key: String, value: String, allowed: String)

    public var description: String {
        switch self {
        case let .invalid(key, value, allowed): return "execution.paper.\(key) = \(value) is invalid: expected \(allowed)"
        }
    }
}
