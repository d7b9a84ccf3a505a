import Protocols

/// Positions and PnL per symbol, from execution reports and mark prices. O(1) per report and
/// per mark, allocation-free after init.
///
/// Accounting (average cost): a fill that grows a position moves its average price to the
/// quantity-weighted mean; a fill that reduces it realises (fill − average) × closed quantity
/// × sign(position); a fill that crosses zero closes the old side and opens the rest at the
/// fill price. Unrealised PnL = position × (mark − average). Equity = initial equity +
/// realised + unrealised, which also equals initial equity + cash flow + Σ position × mark
/// (`cashFlow` is −Σ signed quantity × fill price). Before a symbol's first mark, its fill
/// price is its mark.
public struct PositionBook: Sendable {
    private var positions: [Double]
    private var averages: [Double]
    private var realised: [Double]
    private var marks: [Double]
    private var unrealised: [Double]
    private var notionals: [Double]
    /// Equity before any trade, currency units.
    public let initialEquity: Double
    /// Realised PnL over all symbols.
    public private(set) var realisedPnL = 0.0
    /// Unrealised PnL over all symbols (at the last marks).
    public private(set) var unrealisedPnL = 0.0
    /// Σ |position| × mark over symbols.
    public private(set) var grossNotional = 0.0
    /// −Σ signed quantity × price over all fills.
    public private(set) var cashFlow = 0.0
    /// Highest equity seen (starts at the initial equity).
    public private(set) var peakEquity: Double
    /// Fills applied.
    public private(set) var fills: UInt64 = 0
    /// Reports ignored because their symbol is out of range or their fill is not finite.
    public private(set) var ignored: UInt64 = 0

    /// A flat book for symbols 0..<symbols.
    public init(symbols: Int, initialEquity: Double) {
        let n = max(1, symbols)
        positions = [Double](repeating: 0, count: n)
        averages = positions
        realised = positions
        marks = positions
        unrealised = positions
        notionals = positions
        self.initialEquity = initialEquity
        peakEquity = initialEquity
    }

    /// Symbols tracked.
    public var symbolCount: Int { positions.count }
    /// Initial equity + realised + unrealised.
    public var equity: Double { initialEquity + realisedPnL + unrealisedPnL }
    /// (peak − equity) / peak, fraction (0 at a new peak or when the peak is not positive).
    public var drawdown: Double { peakEquity > 0 ? max(0, (peakEquity - equity) / peakEquity) : 0 }

    /// Signed position, units (0 for an unknown symbol).
    public func position(_ symbol: Int32) -> Double { valid(symbol) ? positions[Int(symbol)] : 0 }
    /// Average entry price of the open position (0 when flat).
    public func averagePrice(_ symbol: Int32) -> Double { valid(symbol) ? averages[Int(symbol)] : 0 }
    /// Realised PnL of one symbol.
    public func realisedPnL(_ symbol: Int32) -> Double { valid(symbol) ? realised[Int(symbol)] : 0 }
    /// Unrealised PnL of one symbol at its last mark.
    public func unrealisedPnL(_ symbol: Int32) -> Double { valid(symbol) ? unrealised[Int(symbol)] : 0 }
    /// Last mark of one symbol (0 before any).
    public func lastPrice(_ symbol: Int32) -> Double { valid(symbol) ? marks[Int(symbol)] : 0 }

    /// Applies a report; only fills (`lastQuantity > 0`) change the book.
    /// - Returns: whether the report was a fill that was applied.
    @discardableResult
    public mutating func apply(_ report: ExecutionReport) -> Bool {
        guard report.lastQuantity > 0 else { return false }
        guard valid(report.symbol), report.lastQuantity.isFinite, report.lastPrice.isFinite, report.lastPrice > 0 else {
            ignored += 1
            return false
        }
        let i = Int(report.symbol)
        let price = report.lastPrice
        let signed = report.side.sign * report.lastQuantity
        let old = positions[i]
        var realisedDelta = 0.0
        if old == 0 || (old > 0) == (signed > 0) {
            let total = old + signed
            averages[i] = (averages[i] * abs(old) + price * abs(signed)) / abs(total)
            positions[i] = total
        } else {
            let closed = min(abs(old), abs(signed))
            realisedDelta = (price - averages[i]) * closed * (old > 0 ? 1 : -1)
            let total = old + signed
            if abs(signed) > abs(old) {
                averages[i] = price  // crossed zero: the rest opens at the fill price
            } else if total == 0 {
                averages[i] = 0
            }
            positions[i] = total
        }
        realised[i] += realisedDelta
        realisedPnL += realisedDelta
        cashFlow -= signed * price
        fills += 1
        if marks[i] == 0 { marks[i] = price }
        revalue(i)
        return true
    }

    /// Sets a symbol's mark price and revalues it; ignores bad prices and unknown symbols.
    public mutating func mark(symbol: Int32, price: Double) {
        guard valid(symbol), price.isFinite, price > 0 else { return }
        marks[Int(symbol)] = price
        revalue(Int(symbol))
    }

    /// Recomputes the running totals from the per-symbol values (removes rounding drift of
    /// the incremental sums; call off the hot path, e.g. with the risk report).
    public mutating func recomputeTotals() {
        realisedPnL = realised.reduce(0, +)
        unrealisedPnL = unrealised.reduce(0, +)
        grossNotional = notionals.reduce(0, +)
    }

    private mutating func revalue(_ i: Int) {
        let u = positions[i] * (marks[i] - averages[i])
        unrealisedPnL += u - unrealised[i]
        unrealised[i] = u
        let g = abs(positions[i]) * marks[i]
        grossNotional += g - notionals[i]
        notionals[i] = g
        let e = equity
        if e > peakEquity { peakEquity = e }
    }

    private func valid(_ symbol: Int32) -> Bool { symbol >= 0 && Int(symbol) < positions.count }
}
