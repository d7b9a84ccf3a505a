// Per-symbol data-quality counters and a sliding-window quality ratio.

/// One market-data tick as the monitor sees it (sampled tap, no allocation).
public struct TickSample: Sendable, Equatable {
    /// Dense symbol index (0 ..< symbolCapacity), assigned by the shell.
    public var symbol: Int
    /// Exchange sequence number (strictly increasing per symbol when healthy).
    public var sequence: UInt64
    /// Exchange timestamp, nanoseconds.
    public var timestampNanoseconds: UInt64
    /// Price; NaN when the field is missing.
    public var price: Double
    /// Size; NaN when the field is missing.
    public var size: Double
    /// True when a field was absent from the feed message.
    public var hasMissingField: Bool

    public init(symbol: Int, sequence: UInt64, timestampNanoseconds: UInt64, price: Double, size: Double,
                hasMissingField: Bool = false) {
        self.symbol = symbol
        self.sequence = sequence
        self.timestampNanoseconds = timestampNanoseconds
        self.price = price
        self.size = size
        self.hasMissingField = hasMissingField
    }
}

/// Counters of one symbol (METRICS.md group "data quality").
public struct SymbolDataQuality: Sendable, Codable, Equatable {
    public var ticks: UInt64 = 0
    public var missingFields: UInt64 = 0
    public var nonFiniteValues: UInt64 = 0
    public var outOfRange: UInt64 = 0
    public var duplicates: UInt64 = 0
    public var outOfOrder: UInt64 = 0
    /// Monotonic arrival time of the last tick, nanoseconds (0 = none yet).
    public var lastArrivalNanoseconds: UInt64 = 0
    public var lastSequence: UInt64 = 0
    /// Good ticks among the last `window` ticks (see `DataQualityMonitor.qualityRatio`).
    public var goodInWindow: Int = 0
    public var heldInWindow: Int = 0
}

/// Data-quality counters for up to `symbolCapacity` symbols.
///
/// A tick is bad when a field is missing, price or size is non-finite, price ≤ 0 or size < 0
/// (out of range), its sequence equals the last one (duplicate) or is lower (out of order).
/// `qualityRatio` is good / held over the last `window` ticks of the symbol, kept exactly with
/// a per-symbol bit ring. `record` is O(1) and allocation-free. The shell passes `now`.
public struct DataQualityMonitor: Sendable {
    public let symbolCapacity: Int
    public let window: Int
    private var symbols: [SymbolDataQuality]
    private var bits: [UInt64]          // symbolCapacity × wordsPerSymbol, 1 = bad tick
    private var cursors: [Int]
    private let wordsPerSymbol: Int

    /// - Parameters:
    ///   - symbolCapacity: 1 … 100,000 symbols.
    ///   - window: ticks per symbol in the quality ratio, 1 … 65,536 (default 1024).
    /// - Throws: `MonitoringError.parameterOutOfRange` naming the bad parameter.
    public init(symbolCapacity: Int, window: Int = 1024) throws(MonitoringError) {
        guard (1...100_000).contains(symbolCapacity) else {
            throw .parameterOutOfRange(name: "symbolCapacity", value: Double(symbolCapacity), allowed: "1...100000")
        }
        guard (1...65_536).contains(window) else {
            throw .parameterOutOfRange(name: "window", value: Double(window), allowed: "1...65536")
        }
        self.symbolCapacity = symbolCapacity
        self.window = window
        wordsPerSymbol = (window + 63) / 64
        symbols = [SymbolDataQuality](repeating: SymbolDataQuality(), count: symbolCapacity)
        bits = [UInt64](repeating: 0, count: symbolCapacity * wordsPerSymbol)
        cursors = [Int](repeating: 0, count: symbolCapacity)
    }

    /// Records one tick arriving at monotonic time `now` (ns). Returns false, recording
    /// nothing, when the symbol index is outside 0 ..< symbolCapacity.
    @discardableResult
    public mutating func record(_ tick: TickSample, now: UInt64) -> Bool {
        let s = tick.symbol
        guard s >= 0, s < symbolCapacity else { return false }
        var q = symbols[s]
        var bad = false
        q.ticks += 1
        if tick.hasMissingField { q.missingFields += 1; bad = true }
        if !tick.price.isFinite || !tick.size.isFinite {
            if !tick.hasMissingField { q.nonFiniteValues += 1; bad = true }
        } else if tick.price <= 0 || tick.size < 0 {
            q.outOfRange += 1
            bad = true
        }
        if q.ticks > 1 {
            if tick.sequence == q.lastSequence { q.duplicates += 1; bad = true }
            else if tick.sequence < q.lastSequence { q.outOfOrder += 1; bad = true }
        }
        if tick.sequence > q.lastSequence || q.ticks == 1 { q.lastSequence = tick.sequence }
        q.lastArrivalNanoseconds = now
        // Sliding window of good/bad flags: one bit per tick.
        let cursor = cursors[s]
        let word = s * wordsPerSymbol + cursor / 64
        let mask = UInt64(1) << UInt64(cursor % 64)
        if q.heldInWindow == window {
            if bits[word] & mask == 0 { q.goodInWindow -= 1 }
        } else {
            q.heldInWindow += 1
        }
        if bad { bits[word] |= mask } else { bits[word] &= ~mask; q.goodInWindow += 1 }
        cursors[s] = cursor + 1 == window ? 0 : cursor + 1
        symbols[s] = q
        return true
    }

    /// Counters of one symbol; `nil` for an index outside 0 ..< symbolCapacity.
    public func counters(symbol: Int) -> SymbolDataQuality? {
        guard symbol >= 0, symbol < symbolCapacity else { return nil }
        return symbols[symbol]
    }

    /// `quantum_agent_data_quality_ratio`: good / held over the last `window` ticks; 1 with no tick.
    public func qualityRatio(symbol: Int) -> Double {
        guard let q = counters(symbol: symbol), q.heldInWindow > 0 else { return 1 }
        return Double(q.goodInWindow) / Double(q.heldInWindow)
    }

    /// `quantum_agent_data_feed_age_seconds`: seconds since the symbol's last tick at `now` (ns);
    /// `nil` before the first tick.
    public func feedAgeSeconds(symbol: Int, now: UInt64) -> Double? {
        guard let q = counters(symbol: symbol), q.ticks > 0 else { return nil }
        return now >= q.lastArrivalNanoseconds ? Double(now - q.lastArrivalNanoseconds) / 1e9 : 0
    }
}
