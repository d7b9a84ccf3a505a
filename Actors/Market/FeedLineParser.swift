import Foundation

/// Parses feed lines: CSV `timestamp,symbol,price,size[,bid,ask]` or a JSON object
/// `{"timestamp":…,"symbol":…,"price":…,"size":…,"bid":…,"ask":…}` per line.
/// Timestamps are epoch numbers (seconds, ms, µs or ns, told apart by magnitude)
/// or ISO 8601 strings.
public enum FeedLineParser {
    /// Parses one line; nil when it is malformed (the caller counts it).
    public static func parse(_ line: Substring) -> RawTick? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        if trimmed.hasPrefix("{") { return parseJSON(trimmed) }
        let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 4 || fields.count == 6 else { return nil }
        guard let time = parseTime(fields[0]),
              let price = Double(fields[2].trimmingCharacters(in: .whitespaces)),
              let size = Double(fields[3].trimmingCharacters(in: .whitespaces)) else { return nil }
        var bid = Double.nan
        var ask = Double.nan
        if fields.count == 6 {
            let bidText = fields[4].trimmingCharacters(in: .whitespaces)
            let askText = fields[5].trimmingCharacters(in: .whitespaces)
            if !bidText.isEmpty || !askText.isEmpty {
                guard let parsedBid = Double(bidText), let parsedAsk = Double(askText) else { return nil }
                bid = parsedBid
                ask = parsedAsk
            }
        }
        let symbol = fields[1].trimmingCharacters(in: .whitespaces)
        guard !symbol.isEmpty else { return nil }
        return RawTick(symbol: symbol, price: price, size: size, bid: bid, ask: ask, timeNanos: time)
    }

    /// Whether a line is a CSV header rather than data (a JSON object never is, though it
    /// names the same fields).
    public static func isHeader(_ line: Substring) -> Bool {
        let lowered = line.lowercased()
        return !lowered.trimmingCharacters(in: .whitespaces).hasPrefix("{")
            && lowered.contains("symbol") && lowered.contains("price")
    }

    /// Epoch seconds/ms/µs/ns by magnitude (a value below 1e11 is seconds, below 1e14 ms,
    /// below 1e17 µs, else ns), or ISO 8601. Plain decimals are converted exactly (a Double
    /// holds an epoch in ns only to 256 ns); other numeric forms (exponents) through Double.
    public static func parseTime(_ field: Substring) -> UInt64? {
        let text = field.trimmingCharacters(in: .whitespaces)
        if let exact = parseDecimalTime(text) { return exact }
        if let value = Double(text), value.isFinite, value >= 0 {
            switch value {
            case ..<1e11: return UInt64((value * 1e9).rounded())
            case ..<1e14: return UInt64((value * 1e6).rounded())
            case ..<1e17: return UInt64((value * 1e3).rounded())
            default: return UInt64(text) ?? UInt64(value)
            }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text),
           date.timeIntervalSince1970 >= 0 {
            // Whole seconds and a fraction rounded to µs: the formatter resolves ms, and a Double
            // epoch in ns would be off by up to 256 ns.
            let seconds = date.timeIntervalSince1970.rounded(.down)
            let micros = UInt64(((date.timeIntervalSince1970 - seconds) * 1e6).rounded())
            return UInt64(seconds) * 1_000_000_000 + micros * 1000
        }
        return nil
    }

    /// `DIGITS[.DIGITS]` in the unit its magnitude implies, to ns without rounding through
    /// Double (fraction digits beyond ns are truncated); nil for other forms or on overflow.
    private static func parseDecimalTime(_ text: String) -> UInt64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber),
              let integer = UInt64(whole) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else { return nil }
        let digits: Int  // decimal digits from the unit down to ns
        switch integer {
        case ..<100_000_000_000: digits = 9
        case ..<100_000_000_000_000: digits = 6
        case ..<100_000_000_000_000_000: digits = 3
        default: digits = 0
        }
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let (scaled, overflow) = integer.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        let kept = String(fraction.prefix(digits)).padding(toLength: digits, withPad: "0", startingAt: 0)
        let (total, carry) = scaled.addingReportingOverflow(UInt64(kept) ?? 0)
        return carry ? nil : total
    }

    private static func parseJSON(_ text: String) -> RawTick? {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let symbol = object["symbol"] as? String,
              let price = (object["price"] as? NSNumber)?.doubleValue else { return nil }
        let size = (object["size"] as? NSNumber)?.doubleValue ?? 0
        let time: UInt64?
        if let number = object["timestamp"] as? NSNumber {
            time = parseTime(Substring(number.stringValue))
        } else if let string = object["timestamp"] as? String {
            time = parseTime(Substring(string))
        } else {
            time = nil
        }
        guard let time else { return nil }
        let bid = (object["bid"] as? NSNumber)?.doubleValue ?? .nan
        let ask = (object["ask"] as? NSNumber)?.doubleValue ?? .nan
        return RawTick(symbol: symbol, price: price, size: size, bid: bid, ask: ask, timeNanos: time)
    }
}
