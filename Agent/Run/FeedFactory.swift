import Foundation
import Market
import Protocols

/// Builds the market source from config and the `--feed` flag
/// (`synthetic`, `csv:PATH`, `tcp:HOST:PORT`, `redis:STREAM[?group=G&consumer=C&start=ID]`).
enum FeedFactory {
    /// - Parameter environment: where `QUANTUM_AGENT_REDIS_URL` is looked up for a Redis feed.
    /// - Throws: `MarketError` naming the bad specification or file.
    static func make(flag: String?, configuration: AgentConfiguration, seed: UInt64?, maxTicks: Int? = nil,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws(MarketError) -> any MarketSource {
        let feeds = configuration.feeds
        let spec = flag ?? {
            switch feeds.kind {
            case .synthetic: return "synthetic"
            case .csv: return "csv:\(feeds.csvPath)"
            case .tcp: return "tcp:\(feeds.tcpHost):\(feeds.tcpPort)"
            case .redis: return "redis:\(feeds.redisStream)"
            }
        }()
        if spec == "synthetic" {
            let symbols = feeds.symbols
            let rate = feeds.ratePerSecond > 0 ? feeds.ratePerSecond * Double(symbols.count) : nil
            return try SyntheticMarket(.init(symbols: symbols, seed: seed ?? UInt64(max(0, feeds.seed)),
                                             ratePerSecond: rate, maxTicks: maxTicks))
        }
        if spec.hasPrefix("csv:") {
            let path = String(spec.dropFirst(4))
            guard !path.isEmpty else { throw .invalidSpecification("--feed csv:PATH needs a file path") }
            let symbols = try CSVReplay.scanSymbols(path: path)
            return try CSVReplay(path: path, speed: feeds.speed > 0 ? feeds.speed : nil, symbols: symbols)
        }
        if spec.hasPrefix("tcp:") {
            let (host, port) = try TCPLineFeed.parseAddress(String(spec.dropFirst(4)))
            return TCPLineFeed(host: host, port: port, symbols: feeds.symbols)
        }
        if spec.hasPrefix("redis:") {
            var feedConfiguration = try redisFeedConfiguration(String(spec.dropFirst(6)))
            // A stable consumer name lets a restarted agent take its unacknowledged entries back.
            let agentID = configuration.modules.multiAgent.agentID
            if !spec.contains("consumer="), !agentID.isEmpty { feedConfiguration.consumer = agentID }
            return try RedisStreamFeed(redis: try redisEndpoint(configuration, environment: environment),
                                       configuration: feedConfiguration, symbols: feeds.symbols)
        }
        throw .invalidSpecification("unknown feed '\(spec)': expected synthetic, csv:PATH, tcp:HOST:PORT or redis:STREAM")
    }

    /// Parses `STREAM[?group=G&consumer=C&start=ID]` (stream names may contain `:`).
    /// - Throws: `MarketError.invalidSpecification` for an empty stream or an unknown option.
    static func redisFeedConfiguration(_ text: String) throws(MarketError) -> RedisStreamFeed.Configuration {
        let parts = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let stream = String(parts[0])
        guard !stream.isEmpty else {
            throw .invalidSpecification("--feed redis:STREAM needs a stream key, e.g. redis:quantum:ticks")
        }
        var feed = RedisStreamFeed.Configuration(stream: stream)
        guard parts.count == 2 else { return feed }
        for option in parts[1].split(separator: "&") {
            let pair = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = pair.count == 2 ? String(pair[1]) : ""
            switch pair[0] {
            case "group" where !value.isEmpty: feed.group = value
            case "consumer" where !value.isEmpty: feed.consumer = value
            case "start" where !value.isEmpty: feed.start = value
            default:
                throw .invalidSpecification("redis feed option '\(option)' is not one of group=NAME, consumer=NAME, start=$|ID")
            }
        }
        return feed
    }

    /// Where Redis is (feed and cluster): `redis.url` (or `--redis`), else `$QUANTUM_AGENT_REDIS_URL`,
    /// else `modules.multi_agent.redis_host:redis_port`; with `redis.password`, `redis.database`
    /// and the timeouts of the `redis` section.
    static func redisEndpoint(_ configuration: AgentConfiguration,
                              environment: [String: String]) throws(MarketError) -> Protocols.RedisConfiguration {
        let endpoint = configuration.redisEndpoint
        var redis = Protocols.RedisConfiguration(
            host: endpoint.host, port: endpoint.port, password: endpoint.password, database: endpoint.database,
            connectTimeoutMs: configuration.redis.connectTimeoutMs, readTimeoutMs: configuration.redis.commandTimeoutMs)
        let source = configuration.redis.url.isEmpty ? "QUANTUM_AGENT_REDIS_URL" : "redis.url (or --redis)"
        let url = configuration.redis.url.isEmpty ? environment["QUANTUM_AGENT_REDIS_URL"] ?? "" : configuration.redis.url
        guard !url.isEmpty else { return redis }
        guard url.hasPrefix("redis://") else {
            throw .invalidSpecification("\(source): '\(url.hasPrefix("unix://") ? url : "<redacted>")' is not a redis://host:port URL")
        }
        do {
            let parsed = try Protocols.RedisConfiguration(url: url)
            redis.host = parsed.host
            redis.port = parsed.port
            redis.username = parsed.username
            redis.password = parsed.password ?? redis.password
            redis.database = parsed.database
        } catch {
            throw .invalidSpecification("\(source): \(error)")
        }
        return redis
    }
}
