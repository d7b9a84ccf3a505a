// Versioned persistence of a `ModelManager` (champion, challenger, previous champion,
// regime models, detectors, version history) as JSON with a format name and version.
// Decoding never traps: unreadable bytes, another format, an unsupported version or a
// structurally inconsistent state each give a `ModelStoreError`, and the caller starts
// a fresh model.

import Foundation

/// Errors reading or writing a model snapshot.
public enum ModelStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a readable snapshot (truncated, garbage, wrong JSON shape).
    case corrupt(String)
    /// A snapshot of another format.
    case wrongFormat(found: String)
    /// A snapshot written by an unsupported format version.
    case unsupportedVersion(found: Int, supported: Int)
    /// The snapshot decodes but its state is inconsistent (indices out of range, …).
    case inconsistentState
    /// The model could not be encoded.
    case encodingFailed(String)

    public var description: String {
        switch self {
        case let .corrupt(detail): return "model snapshot is corrupt: \(detail)"
        case let .wrongFormat(found):
            return "model snapshot has format '\(found)', expected '\(ModelStore.formatName)'"
        case let .unsupportedVersion(found, supported):
            return "model snapshot format version \(found) is not supported (this build reads version \(supported))"
        case .inconsistentState: return "model snapshot decodes but its state is inconsistent"
        case let .encodingFailed(detail): return "model snapshot could not be written: \(detail)"
        }
    }
}

/// Encoder/decoder of versioned model snapshots.
public enum ModelStore {
    public static let formatName = "quantum-agent.learning.model"
    public static let formatVersion = 1

    private struct Header: Decodable {
        let format: String
        let formatVersion: Int
    }

    private struct Envelope: Codable {
        let format: String
        let formatVersion: Int
        let manager: ModelManager
    }

    private static let floatStrategy = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// JSON bytes of the manager's full state.
    public static func encode(_ manager: ModelManager) throws(ModelStoreError) -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: floatStrategy.positiveInfinity, negativeInfinity: floatStrategy.negativeInfinity,
            nan: floatStrategy.nan)
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(Envelope(format: formatName, formatVersion: formatVersion, manager: manager))
        } catch {
            throw .encodingFailed("\(error)")
        }
    }

    /// The manager stored in `data`.
    /// - Throws: `ModelStoreError` for unreadable, foreign, unsupported or inconsistent snapshots.
    public static func decode(_ data: Data) throws(ModelStoreError) -> ModelManager {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: floatStrategy.positiveInfinity, negativeInfinity: floatStrategy.negativeInfinity,
            nan: floatStrategy.nan)
        let header: Header
        do { header = try decoder.decode(Header.self, from: data) } catch {
            throw .corrupt("no readable header (\(data.count) bytes)")
        }
        guard header.format == formatName else { throw .wrongFormat(found: header.format) }
        guard header.formatVersion == formatVersion else {
            throw .unsupportedVersion(found: header.formatVersion, supported: formatVersion)
        }
        let envelope: Envelope
        do { envelope = try decoder.decode(Envelope.self, from: data) } catch {
            throw .corrupt(Self.describe(error))
        }
        guard envelope.manager.isConsistent else { throw .inconsistentState }
        return envelope.manager
    }

    private static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case let .dataCorrupted(c), let .keyNotFound(_, c), let .typeMismatch(_, c), let .valueNotFound(_, c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return "\(c.debugDescription) at '\(path)'"
        @unknown default:
            return "\(e)"
        }
    }
}
