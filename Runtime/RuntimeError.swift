import Hardware

/// Errors from the runtime's configuration and message passing. Messages name the value at fault.
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidCapacity(Int, context: String)
    case invalidBatchSize(Int)
    case invalidConflationKeys(keyCount: Int, capacity: Int)
    case unknownActor(String)
    case actorNotInPlan(String)
    case duplicateActor(String)
    case hardware(HardwareError)
    case systemStopped

    public var description: String {
        switch self {
        case .invalidCapacity(let value, let context):
            return "\(context) capacity \(value) is invalid: it must be between 1 and \(1 << 30)"
        case .invalidBatchSize(let value):
            return "batch size \(value) is invalid: it must be between 1 and 65536"
        case .invalidConflationKeys(let keys, let capacity):
            return "conflation key count \(keys) is invalid: it must be between 1 and the channel capacity (\(capacity))"
        case .unknownActor(let name):
            return "no actor named '\(name)' is registered"
        case .actorNotInPlan(let name):
            return "actor '\(name)' is not in the core plan; add it to the plan's requests"
        case .duplicateActor(let name):
            return "an actor named '\(name)' already exists"
        case .hardware(let error):
            return error.description
        case .systemStopped:
            return "the actor system is stopped"
        }
    }
}

/// Why a message was not enqueued.
public enum ChannelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The channel is full and its policy is `reject`.
    case full(channel: String, capacity: Int)
    /// A conflation key outside `0..<keyCount`.
    case invalidKey(channel: String, key: Int, keyCount: Int)
    /// The channel was closed.
    case closed(channel: String)

    public var description: String {
        switch self {
        case .full(let channel, let capacity): return "channel '\(channel)' is full (capacity \(capacity)); message rejected"
        case .invalidKey(let channel, let key, let count): return "channel '\(channel)': conflation key \(key) outside 0..<\(count)"
        case .closed(let channel): return "channel '\(channel)' is closed"
        }
    }
}
