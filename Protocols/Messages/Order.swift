/// Buy or sell.
public enum Side: UInt8, Sendable, Codable, CustomStringConvertible {
    case buy
    case sell

    /// +1 for buy, -1 for sell.
    public var sign: Double { self == .buy ? 1 : -1 }
    public var description: String { self == .buy ? "buy" : "sell" }
}

/// A decision of the latency engine: from regime, predicted probability and
/// confidence to a target position.
public struct TradeDecision: Sendable, Equatable {
    public var id: UInt64
    public var symbol: Int32
    /// Canonical regime state (0 = calmest), or -1 when uncertain.
    public var regime: Int8
    /// Predicted probability that the next return is positive.
    public var probabilityUp: Double
    /// Confidence of the regime signal, 0...1.
    public var confidence: Double
    /// Position the rule wants, in units.
    public var targetPosition: Double
    /// Position before the decision, in units.
    public var currentPosition: Double
    /// Model version that predicted.
    public var modelVersion: UInt32
    public var ingressNanos: UInt64
    public var decidedNanos: UInt64

    public init(id: UInt64, symbol: Int32, regime: Int8, probabilityUp: Double, confidence: Double,
                targetPosition: Double, currentPosition: Double, modelVersion: UInt32,
                ingressNanos: UInt64, decidedNanos: UInt64) {
        self.id = id
        self.symbol = symbol
        self.regime = regime
        self.probabilityUp = probabilityUp
        self.confidence = confidence
        self.targetPosition = targetPosition
        self.currentPosition = currentPosition
        self.modelVersion = modelVersion
        self.ingressNanos = ingressNanos
        self.decidedNanos = decidedNanos
    }
}

/// A limit order on its way to a venue.
public struct OrderRequest: Sendable, Equatable {
    public var id: UInt64
    public var decisionID: UInt64
    public var symbol: Int32
    public var side: Side
    /// Units, > 0.
    public var quantity: Double
    /// Limit price, > 0.
    public var limitPrice: Double
    /// Ingress stamp of the tick that caused it (end-to-end latency origin).
    public var ingressNanos: UInt64
    /// Monotonic time it was created.
    public var createdNanos: UInt64

    public init(id: UInt64, decisionID: UInt64, symbol: Int32, side: Side, quantity: Double, limitPrice: Double,
                ingressNanos: UInt64, createdNanos: UInt64) {
        self.id = id
        self.decisionID = decisionID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.ingressNanos = ingressNanos
        self.createdNanos = createdNanos
    }

    /// Signed quantity (+ buy, − sell).
    public var signedQuantity: Double { side.sign * quantity }
}

/// Order lifecycle states.
public enum OrderStatus: UInt8, Sendable, Codable, CustomStringConvertible {
    case new
    case acknowledged
    case partiallyFilled
    case filled
    case cancelled
    case rejected

    /// Whether no further report will follow.
    public var isTerminal: Bool { self == .filled || self == .cancelled || self == .rejected }

    public var description: String {
        switch self {
        case .new: return "new"
        case .acknowledged: return "ack"
        case .partiallyFilled: return "partial"
        case .filled: return "filled"
        case .cancelled: return "cancelled"
        case .rejected: return "rejected"
        }
    }
}

/// Why an order was refused (by pre-trade risk or by the venue). A code, not a
/// string, so rejecting never allocates.
public enum RejectReason: UInt8, Sendable, Codable, CustomStringConvertible {
    case none
    case maxPosition
    case maxOrderSize
    case maxNotional
    case priceCollar
    case orderRate
    case killSwitch
    case halted
    case journalUnavailable
    case venueReject
    case invalidOrder

    public var description: String {
        switch self {
        case .none: return "none"
        case .maxPosition: return "max_position"
        case .maxOrderSize: return "max_order_size"
        case .maxNotional: return "max_notional"
        case .priceCollar: return "price_collar"
        case .orderRate: return "order_rate"
        case .killSwitch: return "drawdown_kill_switch"
        case .halted: return "halted"
        case .journalUnavailable: return "journal_unavailable"
        case .venueReject: return "venue_reject"
        case .invalidOrder: return "invalid_order"
        }
    }
}

/// A venue's report on an order.
public struct ExecutionReport: Sendable, Equatable {
    public var orderID: UInt64
    public var symbol: Int32
    public var side: Side
    public var status: OrderStatus
    /// Units filled by this report (0 when none).
    public var lastQuantity: Double
    /// Price of this fill (0 when none).
    public var lastPrice: Double
    /// Units filled so far.
    public var cumulativeQuantity: Double
    /// Units still open.
    public var leavesQuantity: Double
    public var reason: RejectReason
    /// Monotonic time of the report.
    public var timeNanos: UInt64

    public init(orderID: UInt64, symbol: Int32, side: Side, status: OrderStatus, lastQuantity: Double = 0,
                lastPrice: Double = 0, cumulativeQuantity: Double, leavesQuantity: Double,
                reason: RejectReason = .none, timeNanos: UInt64) {
        self.orderID = orderID
        self.symbol = symbol
        self.side = side
        self.status = status
        self.lastQuantity = lastQuantity
        self.lastPrice = lastPrice
        self.cumulativeQuantity = cumulativeQuantity
        self.leavesQuantity = leavesQuantity
        self.reason = reason
        self.timeNanos = timeNanos
    }
}
