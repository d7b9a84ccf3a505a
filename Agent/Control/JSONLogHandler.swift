// swift-log backend writing one JSON object per line:
// {"time":"…Z","level":"info","logger":"quantum-agent.risk","message":"…","metadata":{"tick":"42","decision":"7"}}
// The logging thread only appends a record to a bounded queue; a background writer thread
// (pinned to a housekeeping core when one is given) formats and writes. A full queue drops the
// record and counts it, so logging never blocks a pinned executor.

import Foundation
import Hardware
import Logging

/// The background writer shared by every `JSONLogHandler`.
final class JSONLogWriter: @unchecked Sendable {
    // @unchecked Sendable: `queue`, `dropped`, `written`, `pending` and `stopping` are touched only
    // while holding `condition`; `output` only by the writer thread.

    /// One log call, captured on the caller's thread.
    struct Record: Sendable {
        var time: Date
        var level: Logger.Level
        var label: String
        var message: String
        var metadata: Logger.Metadata
        var source: String
    }

    private let condition = NSCondition()
    private var queue: [Record] = []
    private var stopping = false
    private var pending = 0
    private var droppedCount = 0
    private var writtenCount = 0
    private let capacity: Int
    private let output: FileHandle
    private var thread: Thread?

    /// - Parameters:
    ///   - output: where lines go (stderr by default; a file for tests or `journald`).
    ///   - capacity: records queued at most; more are dropped and counted.
    ///   - core: pin the writer thread here (a housekeeping core, never a pinned executor's).
    init(output: FileHandle = .standardError, capacity: Int = 8192, core: Int? = nil) {
        self.output = output
        self.capacity = max(1, capacity)
        let thread = Thread { [self] in
            Affinity.nameCurrentThread("log-writer")
            if let core { try? Affinity.pinCurrentThread(to: core) }
            self.runLoop()
        }
        thread.name = "quantum-agent.log-writer"
        self.thread = thread
        thread.start()
    }

    /// Queues a record; never blocks beyond a short lock. - Returns: false when dropped.
    @discardableResult
    func enqueue(_ record: Record) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping, queue.count < capacity else {
            droppedCount += 1
            return false
        }
        queue.append(record)
        pending += 1
        condition.signal()
        return true
    }

    /// Records dropped because the queue was full (or after `stop`).
    var dropped: Int { condition.lock(); defer { condition.unlock() }; return droppedCount }
    /// Lines written.
    var written: Int { condition.lock(); defer { condition.unlock() }; return writtenCount }

    /// Blocks until every queued record is written (shutdown, tests).
    func flush() {
        condition.lock()
        while pending > 0 { condition.wait() }
        condition.unlock()
    }

    /// Flushes and stops the writer thread; later records are dropped.
    func stop() {
        flush()
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                return
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            var data = Data()
            for record in batch { data.append(contentsOf: Self.line(record).utf8) }
            output.write(data)
            condition.lock()
            pending -= batch.count
            writtenCount += batch.count
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The JSON line of a record (keys in a fixed order, newline-terminated).
    static func line(_ record: Record) -> String {
        var out = "{\"time\":\"" + timestamp(record.time) + "\",\"level\":\"" + record.level.rawValue + "\",\"logger\":"
        out += json(record.label) + ",\"message\":" + json(record.message)
        if !record.metadata.isEmpty { out += ",\"metadata\":" + json(record.metadata) }
        out += ",\"source\":" + json(record.source) + "}\n"
        return out
    }

    private static func json(_ metadata: Logger.Metadata) -> String {
        "{" + metadata.sorted { $0.key < $1.key }.map { json($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
    }

    private static func json(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): return json(text)
        case .stringConvertible(let convertible): return json(convertible.description)
        case .dictionary(let dictionary): return json(dictionary)
        case .array(let array): return "[" + array.map { json($0) }.joined(separator: ",") + "]"
        }
    }

    /// A JSON string literal.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }
}

/// A swift-log handler that hands records to a `JSONLogWriter`.
struct JSONLogHandler: LogHandler {
    let label: String
    let writer: JSONLogWriter
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, writer: JSONLogWriter, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.writer = writer
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if let error = event.error { merged["error"] = .string(String(describing: error)) }
        writer.enqueue(.init(time: Date(), level: event.level, label: label, message: event.message.description,
                             metadata: merged, source: event.source))
    }

    /// Installs JSON logging for the process (once, at start): level from `log_level`.
    /// - Returns: the writer, to `flush()` at shutdown.
    @discardableResult
    static func bootstrap(level: Logger.Level, output: FileHandle = .standardError, core: Int? = nil) -> JSONLogWriter {
        let writer = JSONLogWriter(output: output, core: core)
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, writer: writer, level: level) }
        return writer
    }
}
