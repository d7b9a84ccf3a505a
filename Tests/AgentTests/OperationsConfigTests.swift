// Configuration loading: the seed's file loads as it is, every problem is reported at once with
// its key path, environment overrides, and `config print` output loads back unchanged.

import Foundation
import Testing
@testable import Agent

/// Reads a file of Tests/AgentTests/Fixtures.
func operationsFixture(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
}

@Suite("Operations: configuration")
struct OperationsConfigTests {
    @Test func seedProductionConfigLoadsWithTheSeedValues() throws {
        let config = try AgentConfiguration.load(yamlText: try operationsFixture("seed_production_config.yaml"),
                                                 environment: [:])
        #expect(config.environment == "production")
        #expect(config.logLevel == .info)
        #expect(config.modules.modelMonitoring.alertChannels == ["slack", "email"])
        #expect(config.modules.onlineLearning.modelUpdateIntervalMs == 5000)
        #expect(config.modules.multiAgent.redisHost == "localhost")
        #expect(config.modules.regimeDetection.confidenceThreshold == 0.7)
        #expect(config.modules.ultraLatency.targetLatencyMs == 50)
        // The embedded defaults are the seed's values, except that they run locally (no cluster).
        #expect(config.modules.multiAgent.enabled)
        var expected = AgentConfiguration.default
        expected.modules.multiAgent.enabled = true
        #expect(config == expected)
    }

    @Test func seedPythonDictsLoadAsYAMLSections() throws {
        let config = try AgentConfiguration.load(yamlText: try operationsFixture("seed_full_config.yaml"),
                                                 environment: [:])
        #expect(config.modules.modelMonitoring.driftDetectionSensitivity == "high")
        #expect(config.modules.onlineLearning.conceptDriftDetectors == ["ADWIN", "DDM", "EDDM"])
        #expect(config.modules.multiAgent.consensusThreshold == 0.75)
        #expect(config.modules.multiAgent.heartbeatTimeoutMs == 3000)
        #expect(config.modules.regimeDetection.detectors == ["hmm", "gmm", "cusum", "threshold"])
        #expect(config.modules.ultraLatency.maxQueueSize == 10_000)
        #expect(config.modules.ultraLatency.enableCython == false)
        #expect(config.security.sslEnabled)
        #expect(config.security.maxRequestsPerMinute == 1000)
        #expect(config.alertRules.map(\.name) == ["high_latency", "model_drift_detected", "agent_communication_failure"])
        let latency = try #require(config.alertRules.first)
        #expect(latency.metric == "quantum_agent_stage_latency_seconds")
        #expect(abs(latency.threshold - 0.05) < 1e-12)
    }

    @Test func oneBrokenKeyInTheSeedFileIsNamedWithItsValueAndWhatIsAllowed() throws {
        let text = try operationsFixture("seed_production_config.yaml")
            .replacingOccurrences(of: "redis_port: 6379", with: "redis_port: 70000")
        #expect(throws: ConfigurationError.self) {
            try AgentConfiguration.load(yamlText: text, source: "seed.yaml", environment: [:])
        }
        do {
            _ = try AgentConfiguration.load(yamlText: text, source: "seed.yaml", environment: [:])
        } catch {
            let issue = try #require(error.issues.first)
            #expect(error.issues.count == 1)
            #expect(issue.path == "modules.multi_agent.redis_port")
            #expect(issue.value == "70000")
            #expect(issue.allowed == "an integer in 1...65535")
            #expect(issue.origin.hasPrefix("seed.yaml:"))
        }
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let text = """
            log_level: LOUD
            modules:
              multi_agent:
                redis_hots: x
                consensus_threshold: 2
              regime_detection:
                detectors: [hmm, tarot]
            http:
              port: "eighty"
            alerts:
              - name: bad
                condition: "latency >> fast"
                severity: critical
            """
        do {
            _ = try AgentConfiguration.load(yamlText: text, environment: [:])
            Issue.record("expected the configuration to be refused")
        } catch {
            let paths = error.issues.map(\.path)
            #expect(paths == ["log_level", "modules.multi_agent.redis_hots", "modules.multi_agent.consensus_threshold",
                              "modules.regime_detection.detectors[1]", "http.port", "alerts[0].condition"])
            let unknown = try #require(error.issues.first { $0.path.hasSuffix("redis_hots") })
            #expect(unknown.allowed.contains("did you mean `redis_host`?"))
            #expect(error.description.contains("6 problems"))
        }
    }

    @Test func cpuWakeLatencyDefaultsToZeroAndIsBounded() throws {
        #expect(try AgentConfiguration.load(yamlText: "", environment: [:]).runtime.cpuWakeLatencyUs == 0)
        let off = try AgentConfiguration.load(yamlText: "runtime:\n  cpu_wake_latency_us: -1", environment: [:])
        #expect(off.runtime.cpuWakeLatencyUs == -1)
        do {
            _ = try AgentConfiguration.load(yamlText: "runtime:\n  cpu_wake_latency_us: -2", environment: [:])
            Issue.record("expected -2 to be refused")
        } catch {
            #expect(error.issues.map(\.path) == ["runtime.cpu_wake_latency_us"])
            #expect(error.issues.first?.allowed == "an integer in -1...1000000")
        }
    }

    @Test func environmentOverridesUseDoubleUnderscoreNesting() throws {
        let config = try AgentConfiguration.load(yamlText: "", environment: [
            "QUANTUM_AGENT_MODULES__MULTI_AGENT__REDIS_HOST": "redis.internal",
            "QUANTUM_AGENT_HTTP__PORT": "9090",
            "QUANTUM_AGENT_LOG_LEVEL": "debug",
            "QUANTUM_AGENT_FEEDS__SYMBOLS": "AAA,BBB",
            "QUANTUM_AGENT_JWT_SECRET": "not-an-override",
            "PATH": "/usr/bin",
        ])
        #expect(config.modules.multiAgent.redisHost == "redis.internal")
        #expect(config.http.port == 9090)
        #expect(config.logLevel == .debug)
        #expect(config.feeds.symbols == ["AAA", "BBB"])
    }

    @Test func aBadEnvironmentOverrideNamesTheVariable() throws {
        do {
            _ = try AgentConfiguration.load(yamlText: "", environment: ["QUANTUM_AGENT_RISK__MAX_DRAWDOWN": "2"])
            Issue.record("expected max_drawdown 2 to be refused")
        } catch {
            #expect(error.issues.map(\.path) == ["risk.max_drawdown"])
            #expect(error.issues.first?.origin == "environment QUANTUM_AGENT_RISK__MAX_DRAWDOWN")
        }
    }

    @Test func crossFieldChecksNameTheKey() throws {
        let text = """
            modules:
              multi_agent:
                heartbeat_interval: 4000
            decision:
              buy_threshold: 0.4
            """
        do {
            _ = try AgentConfiguration.load(yamlText: text, environment: [:])
            Issue.record("expected cross-field problems")
        } catch {
            #expect(error.issues.map(\.path) == ["modules.multi_agent.heartbeat_timeout_ms", "decision.sell_threshold"])
        }
    }

    @Test func printedConfigurationLoadsBackUnchangedAndSecretsAreRedacted() throws {
        var config = AgentConfiguration.default
        config.redis.password = "hunter2"
        config.runtime.cores = ["market": [0], "risk": [1]]
        config.runtime.placement = .explicit
        let yaml = config.yaml(redact: false)
        let reloaded = try AgentConfiguration.load(yamlText: yaml, environment: [:])
        #expect(reloaded == config)
        let redacted = config.yaml(redact: true)
        #expect(!redacted.contains("hunter2"))
        #expect(redacted.contains("password: \"<redacted>\""))
    }

    @Test func malformedYAMLIsASyntaxErrorWithALine() {
        do {
            _ = try AgentConfiguration.load(yamlText: "modules:\n  multi_agent: [unclosed\n", source: "x.yaml",
                                            environment: [:])
            Issue.record("expected a syntax error")
        } catch {
            guard case .syntax(let source, let message) = error else {
                Issue.record("expected .syntax, got \(error)")
                return
            }
            #expect(source == "x.yaml")
            #expect(message.contains("line"))
        }
    }
}
