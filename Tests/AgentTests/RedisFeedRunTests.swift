import Foundation
import Market
import Protocols
import Testing
@testable import Agent

@Suite struct RedisFeedFactoryTests {
    @Test func theFeedSpecificationNamesStreamGroupConsumerAndStart() throws {
        var configuration = AgentConfiguration()
        configuration.modules.multiAgent.agentID = "agent-7"
        let plain = try #require(try FeedFactory.make(flag: "redis:quantum:ticks", configuration: configuration, seed: nil,
                                                      environment: [:]) as? RedisStreamFeed)
        #expect(plain.name == "redis:quantum:ticks" && plain.configuration.start == "$" && plain.configuration.group == nil)
        let grouped = try #require(try FeedFactory.make(flag: "redis:s:1?group=g&start=0", configuration: configuration,
                                                        seed: nil, environment: [:]) as? RedisStreamFeed)
        #expect(grouped.configuration.stream == "s:1" && grouped.configuration.group == "g" && grouped.configuration.start == "0")
        #expect(grouped.configuration.consumer == "agent-7", "the agent id names the consumer")
        let named = try #require(try FeedFactory.make(flag: "redis:s?group=g&consumer=c", configuration: configuration,
                                                      seed: nil, environment: [:]) as? RedisStreamFeed)
        #expect(named.configuration.consumer == "c")
        configuration.feeds.kind = .redis
        configuration.feeds.redisStream = "md:ticks"
        #expect(try FeedFactory.make(flag: nil, configuration: configuration, seed: nil, environment: [:]).name == "redis:md:ticks")
        for bad in ["redis:", "redis:s?colour=red", "redis:s?start=latest", "redis:s?group="] {
            #expect(throws: MarketError.self, "\(bad)") {
                try FeedFactory.make(flag: bad, configuration: configuration, seed: nil, environment: [:])
            }
        }
    }

    @Test func redisComesFromRedisURLThenTheEnvironmentThenTheMultiAgentHost() throws {
        var configuration = AgentConfiguration()
        configuration.modules.multiAgent.redisHost = "redis.internal"
        configuration.modules.multiAgent.redisPort = 6390
        let environment = ["QUANTUM_AGENT_REDIS_URL": "redis://10.0.0.5:7000/2"]
        func endpoint(_ environment: [String: String]) throws -> Protocols.RedisConfiguration {
            try #require(FeedFactory.make(flag: "redis:t", configuration: configuration, seed: nil,
                                              environment: environment) as? RedisStreamFeed).redis
        }
        let fallback = try endpoint([:])
        #expect(fallback.host == "redis.internal" && fallback.port == 6390)
        let fromEnvironment = try endpoint(environment)
        #expect(fromEnvironment.host == "10.0.0.5" && fromEnvironment.port == 7000 && fromEnvironment.database == 2)
        configuration.redis.url = "redis://127.0.0.1:6381"
        let fromConfig = try endpoint(environment)
        #expect(fromConfig.host == "127.0.0.1" && fromConfig.port == 6381 && fromConfig.database == 0)
    }
}

/// `quantum-agent run` reading its ticks from a Redis stream: the binary, a real redis-server.
@Suite("quantum-agent run --feed redis:STREAM (process, redis-server)", .serialized)
struct RedisFeedRunTests {
    /// The server of `scripts/with-redis.sh`, or a private one kept alive by the returned handle.
    private func redisURL() throws -> (url: String, server: RedisServerProcess?) {
        if let url = ProcessInfo.processInfo.environment["QUANTUM_AGENT_REDIS_URL"], !url.isEmpty { return (url, nil) }
        let server = try RedisServerProcess()
        return (server.url, server)
    }

    /// Starts the agent, waits until its feed reads, adds 40 ticks in both entry formats and one
    /// malformed entry, and returns the agent's stdout once it has exited by itself.
    private func runAgainstStream(arguments: [String], environment: [String: String], url: String, key: String) throws -> String {
        let agent = try LiveAgentProcess(arguments + ["--no-http", "--duration", "5", "--log-format", "json"], environment: environment)
        #expect(ClusterCLI.eventually(seconds: 60) { agent.stderr.contains("feed connected") || !agent.isRunning },
                "the feed never connected; stderr: \(agent.stderr.suffix(1500))")
        let writer = RedisConnection(configuration: try Protocols.RedisConfiguration(url: url))
        defer { _ = try? writer.command("DEL", RedisArgument(key)) }
        let start: UInt64 = 1_700_000_000_000
        for index in 0..<40 {
            let symbol = index % 2 == 0 ? "SYN-A" : "SYN-B"
            let price = 100 + Double(index % 7) * 0.1
            if index % 4 < 2 {
                _ = try writer.xadd(key, fields: [("ts", Array("\(start + UInt64(index))".utf8)), ("symbol", Array(symbol.utf8)),
                                                  ("price", Array("\(price)".utf8)), ("size", Array("1".utf8))])
            } else {
                _ = try writer.xadd(key, fields: [("line", Array("\(start + UInt64(index)),\(symbol),\(price),2,\(price - 0.05),\(price + 0.05)".utf8))])
            }
            if index == 20 { _ = try writer.xadd(key, fields: [("symbol", Array("SYN-A".utf8)), ("price", Array("n/a".utf8))]) }
        }
        let status = agent.waitForExit(seconds: 60)
        #expect(status == 0, "stderr: \(agent.stderr.suffix(2000))")
        #expect(agent.stderr.contains("feed record rejected") && agent.stderr.contains("entry "), "the malformed entry is logged")
        return agent.stdout
    }

    private func expectSummary(_ stdout: String) {
        let lines = stdout.split(separator: "\n").map(String.init)
        guard let header = lines.firstIndex(of: "— summary —"), header + 1 < lines.count else {
            Issue.record("no summary in stdout: \(stdout.suffix(1500))")
            return
        }
        #expect(lines[header + 1].hasPrefix("ticks 40, orders "), "\(lines[header + 1])")
        #expect(lines.contains { $0.hasPrefix("feed: accepted 40, malformed 1") }, "\(stdout.suffix(800))")
    }

    @Test("--feed redis:STREAM with the Redis of QUANTUM_AGENT_REDIS_URL: the ticks reach the pipeline")
    func feedFlagWithRedisFromTheEnvironment() throws {
        let (url, server) = try redisURL()
        defer { server?.stop() }
        let files = try LiveAgentFiles()
        defer { files.remove() }
        let key = "test:run-feed:\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
        let stdout = try runAgainstStream(arguments: ["--config", files.config, "--feed", "redis:\(key)"],
                                          environment: ["QUANTUM_AGENT_REDIS_URL": url], url: url, key: key)
        expectSummary(stdout)
    }

    @Test("feeds.kind redis with feeds.redis_stream and redis.url in the config file")
    func configuredRedisFeed() throws {
        let (url, server) = try redisURL()
        defer { server?.stop() }
        let key = "test:run-feed-config:\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
        let files = try LiveAgentFiles(extraYAML: """
            feeds:
              kind: redis
              redis_stream: "\(key)"
            redis:
              url: "\(url)"
            """)
        defer { files.remove() }
        let stdout = try runAgainstStream(arguments: ["--config", files.config], environment: [:], url: url, key: key)
        expectSummary(stdout)
    }
}
