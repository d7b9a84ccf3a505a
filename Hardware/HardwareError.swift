/// Errors from topology discovery, core planning and pinning. Each message names
/// the value at fault and what is allowed.
public enum HardwareError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedCPUList(text: String, source: String)
    case unreadableTopology(path: String, reason: String)
    case unknownCore(core: Int, actor: String, available: [Int])
    case unknownIdleStrategy(String)
    case unknownLatencyClass(String)
    case duplicateActor(String)
    case noCores
    case pinningFailed(core: Int, errno: Int32)
    case wakeLatencyUnavailable(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformedCPUList(let text, let source):
            return "malformed CPU list '\(text)' in \(source): expected comma-separated CPUs or ranges like 0-3,8"
        case .unreadableTopology(let path, let reason):
            return "cannot read CPU topology at \(path): \(reason)"
        case .unknownCore(let core, let actor, let available):
            return "core \(core) for actor '\(actor)' does not exist on this machine; available cores: \(CPUList.format(available))"
        case .unknownIdleStrategy(let value):
            return "unknown idle strategy '\(value)': expected one of spin, spinThenPark, park"
        case .unknownLatencyClass(let value):
            return "unknown latency class '\(value)': expected one of critical, normal, background"
        case .duplicateActor(let name):
            return "actor '\(name)' appears twice in the core plan request"
        case .noCores:
            return "the topology has no online cores"
        case .pinningFailed(let core, let errno):
            return "pinning a thread to core \(core) failed (errno \(errno))"
        case .wakeLatencyUnavailable(let path, let reason):
            return "cannot hold the CPU wake-up latency limit through \(path): \(reason)"
        }
    }
}
