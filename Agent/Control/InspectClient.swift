// The inspector's HTTP client: fetches /api/actors and /api/alerts with a bearer token and turns
// transport and auth failures into one clear sentence.

import Alerts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Runtime

/// Everything `inspect` shows, fetched in one go; also the `--json` document.
struct InspectSnapshot: Codable, Equatable, Sendable {
    var url: String
    /// Unix time of the fetch, seconds.
    var fetchedAt: Double
    var actors: [ActorStats]
    var executors: [ExecutorView]
    var endToEndLatency: LatencySummary?
    var alerts: [Alert]
}

/// Why the inspector could not show anything.
enum InspectError: Error, Sendable, CustomStringConvertible {
    case badURL(String)
    case unreachable(url: String, reason: String)
    case refused(url: String, status: Int, message: String)
    case unexpected(url: String, status: Int, message: String)

    var description: String {
        switch self {
        case .badURL(let url): return "--url \(url) is not an http(s) URL"
        case .unreachable(let url, let reason):
            return "cannot reach the agent at \(url) (\(reason)); is `quantum-agent run` running there? (--url)"
        case .refused(let url, let status, let message):
            return "the agent at \(url) refused the token (HTTP \(status)): \(message); issue one with "
                + "`quantum-agent token issue --role viewer` and pass --token or QUANTUM_AGENT_TOKEN"
        case .unexpected(let url, let status, let message):
            return "the agent at \(url) answered HTTP \(status): \(message)"
        }
    }
}

/// Fetches the inspector's data.
struct InspectClient: Sendable {
    let base: URL
    let token: String?

    /// - Throws: `InspectError.badURL` unless `url` is http(s).
    init(url: String, token: String?) throws(InspectError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
              parsed.host != nil else { throw .badURL(url) }
        base = parsed
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// GET /api/actors and /api/alerts.
    func snapshot() async throws(InspectError) -> InspectSnapshot {
        let actors: ActorsDocument = try await get("/api/actors")
        let alerts: AlertsDocument = try await get("/api/alerts")
        return InspectSnapshot(url: base.absoluteString, fetchedAt: Date().timeIntervalSince1970, actors: actors.actors,
                               executors: actors.executors, endToEndLatency: actors.endToEndLatency, alerts: alerts.alerts)
    }

    private func get<T: Decodable>(_ path: String) async throws(InspectError) -> T {
        let url = base.appendingPathComponent(String(path.dropFirst()))
        var request = URLRequest(url: url, timeoutInterval: 5)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw .unreachable(url: base.absoluteString, reason: (error as NSError).localizedDescription)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let message = (try? JSONDecoder().decode(APIError.Body.self, from: data))?.error.message
            ?? String(decoding: data.prefix(200), as: UTF8.self)
        switch status {
        case 200: break
        case 401, 403: throw .refused(url: base.absoluteString, status: status, message: message)
        default: throw .unexpected(url: base.absoluteString, status: status, message: message)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw .unexpected(url: base.absoluteString, status: status, message: "unreadable \(path) document: \(error)")
        }
    }
}
