/// What went wrong with a journal, with the file concerned.
public enum JournalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be created or opened for writing (directory missing or read-only, a
    /// file where a directory is expected, not a SQLite database, …).
    case cannotOpen(path: String, reason: String)
    /// No journal at this path (readers never create one).
    case notFound(path: String)
    /// A batch could not be written; the journal is unhealthy from then on.
    case writeFailed(path: String, reason: String)
    /// Reading failed.
    case readFailed(path: String, reason: String)
    /// The journal was closed (or failed) before the records could be written.
    case closed(path: String)
    /// A configuration value out of range.
    case invalidConfiguration(key: String, value: String, allowed: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open the journal at \(path) for writing: \(reason)"
        case let .notFound(path): return "no journal at \(path): run the agent first or pass --path"
        case let .writeFailed(path, reason): return "writing the journal at \(path) failed: \(reason)"
        case let .readFailed(path, reason): return "reading the journal at \(path) failed: \(reason)"
        case let .closed(path): return "the journal at \(path) is closed"
        case let .invalidConfiguration(key, value, allowed): return "journal.\(key) = \(value) is invalid: expected \(allowed)"
        }
    }
}
