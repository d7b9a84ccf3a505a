// `quantum-agent token issue --role ROLE --ttl DURATION`: a control-plane JWT, printed as the
// last line of stdout (so `TOKEN=$(quantum-agent token issue … | tail -1)` works).

import ArgumentParser
import Foundation

/// `token`: control-plane tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue control-plane tokens (JWT HS256).",
        subcommands: [TokenIssueCommand.self]
    )
}

/// `token issue`.
struct TokenIssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Print a signed token; the key is QUANTUM_AGENT_JWT_SECRET or security.jwt_key_file of --config.",
        discussion: "Roles: viewer (reads), operator (acknowledge, snooze, pause, resume), admin (halt, rollback)."
    )

    @Option(help: "viewer, operator or admin.")
    var role: String

    @Option(help: "Lifetime: 30s, 15m, 12h, 7d (or seconds).")
    var ttl: String = "1h"

    @Option(help: "The `sub` claim: who holds the token (shown as acknowledgedBy, changedBy).")
    var subject: String = NSUserName()

    @Option(help: "Configuration file (for security.jwt_key_file and jwt_issuer).")
    var config: String?

    func run() async throws {
        guard let parsedRole = ControlRole(rawValue: role.lowercased()) else {
            EvalExit.fail("--role \(role) is not a role; expected viewer, operator or admin")
        }
        guard let seconds = parseDuration(ttl), seconds <= 366 * 86_400 else {
            EvalExit.fail("--ttl \(ttl) is not a duration; expected e.g. 30s, 15m, 12h, 7d (at most 366d)")
        }
        guard !subject.isEmpty else { EvalExit.fail("--subject must not be empty") }
        let configuration: AgentConfiguration
        do {
            if let config {
                configuration = try AgentConfiguration.load(file: config)
            } else {
                configuration = try AgentConfiguration.load(yamlText: "", source: "<defaults>")
            }
        } catch {
            EvalExit.fail(error.description)
        }
        let secret: String
        do {
            guard let loaded = try TokenAuthority.loadSecret(security: configuration.security) else {
                EvalExit.fail(TokenKeyError.notConfigured.description)
            }
            secret = loaded
        } catch {
            EvalExit.fail(error.description)
        }
        let authority = await TokenAuthority(secret: secret, issuer: configuration.security.jwtIssuer)
        let now = Date()
        let token = try await authority.issue(subject: subject, role: parsedRole, ttl: seconds, now: now)
        let expires = ISO8601DateFormatter().string(from: now.addingTimeInterval(seconds))
        print("# role \(parsedRole.rawValue), subject \(subject), expires \(expires)")
        print(token)
    }
}
