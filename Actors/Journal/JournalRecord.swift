import Protocols

/// Kinds of journal records (the `kind` column).
public enum JournalRecordKind: String, Sendable, Codable, CaseIterable {
    /// A `TradeDecision` of the latency engine.
    case decision
    /// An `OrderRequest` sent to the venue (after pre-trade risk).
    case order
    /// An `ExecutionReport`: new, ack, partial/full fill, cancel, reject.
    case execution
    /// An alert raised (kind, severity, message).
    case alert
    /// A model swap (champion replaced: new id, parent id, reason).
    case modelSwap = "model_swap"
}

/// One thing the agent did or saw, to be written durably.
public enum JournalRecord: Sendable, Equatable {
    case decision(TradeDecision)
    case order(OrderRequest)
    case execution(ExecutionReport)
    /// An alert: rule or alert kind (e.g. `var_breach`), severity (`info`…`critical`), message,
    /// and the monotonic time it was raised, ns.
    case alert(kind: String, severity: String, message: String, timeNanos: UInt64)
    /// A model swap: the new model's id, the model it replaced (its parent), why, and when (ns).
    case modelSwap(id: String, parent: String, reason: String, timeNanos: UInt64)

    /// The record's kind.
    public var kind: JournalRecordKind {
        switch self {
        case .decision: return .decision
        case .order: return .order
        case .execution: return .execution
        case .alert: return .alert
        case .modelSwap: return .modelSwap
        }
    }

    /// Monotonic time of the event, ns.
    public var timeNanos: UInt64 {
        switch self {
        case let .decision(d): return d.decidedNanos
        case let .order(o): return o.createdNanos
        case let .execution(r): return r.timeNanos
        case let .alert(_, _, _, t): return t
        case let .modelSwap(_, _, _, t): return t
        }
    }
}
