// Errors of the champion/challenger manager.

/// Errors of champion/challenger operations.
public enum ModelManagerError: Error, Equatable, Sendable, CustomStringConvertible {
    case nothingToRollBack

    public var description: String {
        switch self {
        case .nothingToRollBack: return "rollback: no previous model version is kept"
        }
    }
}
