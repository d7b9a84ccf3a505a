// JWT (HS256, jwt-kit) for the control plane: roles viewer < operator < admin, tokens issued by
// `quantum-agent token issue`, verified by the server. The key comes from the environment
// variable QUANTUM_AGENT_JWT_SECRET or the file named by security.jwt_key_file; it is never logged.

import Foundation
import JWTKit

/// What a token allows. Ordered: a role can do everything the roles below it can.
enum ControlRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Reads: /api/actors, /api/alerts, /api/models.
    case viewer
    /// Acknowledge, snooze, pause, resume.
    case `operator`
    /// Halt, model rollback.
    case admin

    private var rank: Int { self == .viewer ? 0 : self == .operator ? 1 : 2 }
    static func < (lhs: ControlRole, rhs: ControlRole) -> Bool { lhs.rank < rhs.rank }
}

/// The claims of a control-plane token.
struct ControlClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var iss: IssuerClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var role: ControlRole

    /// Expiry is checked by `TokenAuthority.verify` against its clock, so tests need no waiting.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Who made a request: the token's subject and role.
struct ControlIdentity: Sendable, Equatable {
    var subject: String
    var role: ControlRole
}

/// Why a token was refused (all answered with 401).
enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case malformed
    case badSignature
    case expired(at: Date)
    case wrongIssuer(String)

    var description: String {
        switch self {
        case .missing: return "missing bearer token: send `Authorization: Bearer <token>` (quantum-agent token issue)"
        case .malformed: return "malformed token: not a JWT with the control-plane claims (sub, iss, iat, exp, role)"
        case .badSignature: return "token signature does not verify with this agent's key"
        case .expired(let at): return "token expired at \(ISO8601DateFormatter().string(from: at))"
        case .wrongIssuer(let issuer): return "token issuer \(issuer) is not this agent's issuer"
        }
    }
}

/// Problems with the signing key.
enum TokenKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case tooShort(source: String, bytes: Int)
    case notConfigured

    var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read security.jwt_key_file \(path): \(reason)"
        case .tooShort(let source, let bytes):
            return "the JWT key from \(source) has \(bytes) bytes; HS256 needs at least 32"
        case .notConfigured:
            return "no JWT key: set QUANTUM_AGENT_JWT_SECRET or security.jwt_key_file"
        }
    }
}

/// Signs and verifies control-plane tokens with one HS256 key.
struct TokenAuthority: Sendable {
    /// Environment variable holding the key.
    static let environmentVariable = "QUANTUM_AGENT_JWT_SECRET"

    private let keys: JWTKeyCollection
    /// `iss` written and required.
    let issuer: String

    /// - Parameter secret: at least 32 bytes.
    init(secret: String, issuer: String) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.issuer = issuer
    }

    /// The key from `QUANTUM_AGENT_JWT_SECRET`, else from `security.jwt_key_file`; nil when neither is set.
    /// - Throws: `TokenKeyError` when the file cannot be read or the key is shorter than 32 bytes.
    static func loadSecret(security: SecurityConfiguration,
                           environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(TokenKeyError) -> String? {
        if let secret = environment[environmentVariable], !secret.isEmpty {
            guard secret.utf8.count >= 32 else { throw .tooShort(source: environmentVariable, bytes: secret.utf8.count) }
            return secret
        }
        guard !security.jwtKeyFile.isEmpty else { return nil }
        let text: String
        do {
            text = try String(contentsOfFile: security.jwtKeyFile, encoding: .utf8)
        } catch {
            throw .unreadable(path: security.jwtKeyFile, reason: (error as NSError).localizedDescription)
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard secret.utf8.count >= 32 else { throw .tooShort(source: security.jwtKeyFile, bytes: secret.utf8.count) }
        return secret
    }

    /// A signed token for `subject` with `role`, valid `ttl` seconds from `now`.
    func issue(subject: String, role: ControlRole, ttl: TimeInterval, now: Date = Date()) async throws -> String {
        let claims = ControlClaims(sub: SubjectClaim(value: subject), iss: IssuerClaim(value: issuer),
                                   iat: IssuedAtClaim(value: now), exp: ExpirationClaim(value: now.addingTimeInterval(ttl)),
                                   role: role)
        return try await keys.sign(claims)
    }

    /// Verifies signature, issuer and expiry (against `now`).
    /// - Throws: `TokenError` saying which check failed.
    func verify(_ token: String, now: Date = Date()) async throws(TokenError) -> ControlIdentity {
        let claims: ControlClaims
        do {
            claims = try await keys.verify(token, as: ControlClaims.self)
        } catch let error as JWTError {
            throw error.errorType == .signatureVerificationFailed ? .badSignature : .malformed
        } catch {
            throw .malformed
        }
        guard claims.iss.value == issuer else { throw .wrongIssuer(claims.iss.value) }
        guard now < claims.exp.value else { throw .expired(at: claims.exp.value) }
        return ControlIdentity(subject: claims.sub.value, role: claims.role)
    }
}

/// Parses `30s`, `15m`, `12h`, `7d` (or plain seconds) into seconds.
func parseDuration(_ text: String) -> TimeInterval? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
        if suffix == "s", trimmed.hasSuffix("ms") { continue }
        guard let value = Double(trimmed.dropLast(suffix.count)), value > 0, value.isFinite else { return nil }
        return value * scale
    }
    guard let seconds = Double(trimmed), seconds > 0, seconds.isFinite else { return nil }
    return seconds
}
