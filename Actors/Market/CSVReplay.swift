import CLinuxShim
import Foundation

/// Replays a CSV file `timestamp,symbol,price,size[,bid,ask]` (header optional) at
/// the recorded pace × `speed`, or as fast as possible when `speed` is nil.
/// Streams the file line by line; malformed lines are reported, not fatal.
public final class CSVReplay: MarketSource, @unchecked Sendable {
    // @unchecked: immutable after init; `run` is called on one thread at a time.
    public let path: String
    /// Replay speed factor (2 = twice as fast as recorded); nil = as fast as possible.
    public let speed: Double?
    public let symbols: [String]
    public var name: String { "csv:\(path)" }

    /// - Throws: `MarketError.invalidSpecification` for a speed ≤ 0.
    public init(path: String, speed: Double? = nil, symbols: [String] = []) throws(MarketError) {
        if let speed, !(speed > 0 && speed.isFinite) {
            throw .invalidSpecification("csv feed: speed \(speed) must be a positive number")
        }
        self.path = path
        self.speed = speed
        self.symbols = symbols
    }

    /// The symbols that appear in a CSV file (for a default symbol table).
    public static func scanSymbols(path: String) throws(MarketError) -> [String] {
        var seen: [String] = []
        var set = Set<String>()
        try forEachLine(path: path) { line, _ in
            if let raw = FeedLineParser.parse(line), set.insert(raw.symbol).inserted { seen.append(raw.symbol) }
            return true
        }
        return seen
    }

    public func run(emit: (RawTick) -> Void, malformed: (String) -> Void, shouldStop: () -> Bool) throws(MarketError) {
        var firstFeedTime: UInt64?
        var startWall: UInt64 = 0
        var pacer = Pacer(ratePerSecond: nil)
        try CSVReplay.forEachLine(path: path) { line, number in
            if shouldStop() { return false }
            if number == 1 && FeedLineParser.isHeader(line) { return true }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { return true }
            guard let raw = FeedLineParser.parse(line) else {
                malformed("\(path): line \(number): expected timestamp,symbol,price,size[,bid,ask]")
                return true
            }
            if let speed {
                if let first = firstFeedTime {
                    if raw.timeNanos > first {
                        pacer.wait(until: startWall &+ UInt64(Double(raw.timeNanos - first) / speed))
                    }
                } else {
                    firstFeedTime = raw.timeNanos
                    startWall = qa_monotonic_ns()
                }
            }
            emit(raw)
            return true
        }
    }

    /// Calls `body(line, lineNumber)` for each line until it returns false.
    static func forEachLine(path: String, _ body: (Substring, Int) -> Bool) throws(MarketError) {
        guard let file = fopen(path, "r") else {
            throw .cannotOpen(source: "csv:\(path)", reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var number = 0
        while getline(&buffer, &capacity, file) > 0 {
            number += 1
            guard let buffer else { break }
            let line = String(cString: buffer)
            if !body(Substring(line), number) { return }
        }
    }
}
