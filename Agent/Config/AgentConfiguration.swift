// The agent's configuration: the seed's production_config.yaml (loaded as it is) plus the
// sections the seed lacks. Load with `AgentConfiguration.load(yamlText:environment:)`; every
// problem is collected and reported at once, each naming its key path, the value and what
// is allowed. Environment overrides: QUANTUM_AGENT_<SECTION>__<KEY> (nesting by `__`), e.g.
// QUANTUM_AGENT_MODULES__MULTI_AGENT__REDIS_HOST=redis.internal, QUANTUM_AGENT_LOG_LEVEL=debug.

import Alerts
import Foundation
import Logging

/// The whole configuration. `AgentConfiguration()` / `.default` are the embedded defaults.
struct AgentConfiguration: ConfigSection {
    var environment = "production"
    var logLevel = Logger.Level.info
    var performanceMonitoring = true
    var autoScaling = true
    var modules = ModulesConfiguration()
    var runtime = RuntimeConfiguration()
    var redis = RedisConfiguration()
    var http = HTTPConfiguration()
    var security = SecurityConfiguration()
    var journal = JournalConfiguration()
    var feeds = FeedsConfiguration()
    var risk = RiskConfiguration()
    var decision = DecisionConfiguration()
    var alerts = AgentConfiguration.seedAlerts
    var healthChecks = HealthChecksConfiguration()

    /// The embedded defaults.
    static var `default`: AgentConfiguration { AgentConfiguration() }

    /// Prefix of environment overrides.
    static let environmentPrefix = "QUANTUM_AGENT_"
    /// Variables with the prefix that are not overrides (the JWT key, the config file path, the inspector token).
    static let reservedEnvironment: Set<String> = [
        "QUANTUM_AGENT_JWT_SECRET", "QUANTUM_AGENT_CONFIG", "QUANTUM_AGENT_TOKEN", "QUANTUM_AGENT_REDIS_URL",
        "QUANTUM_AGENT_CLUSTER_KEY", "QUANTUM_AGENT_CLUSTER_KEY_FILE", "QUANTUM_AGENT_OPERATOR",
    ]

    /// The seed's "Alertes automatiques".
    static var seedAlerts: [AlertRuleSpec] {
        [
            AlertRuleSpec(name: "High Latency", condition: "latency > 50ms", severity: .critical,
                          actions: ["slack", "email", "auto_rollback"]),
            AlertRuleSpec(name: "Model Drift Detected", condition: "drift_score > 0.8", severity: .warning,
                          actions: ["slack", "retrain_model"]),
            AlertRuleSpec(name: "Agent Communication Failure", condition: "heartbeat_missed > 3", severity: .critical,
                          actions: ["restart_agent", "slack"]),
        ]
    }

    static var fields: [ConfigField<Self>] {
        [
            .string("environment", \.environment, oneOf: ["development", "staging", "production", "test"],
                    doc: "Deployment label: development, staging, production, test (shown in /health and logs)."),
            .choice("log_level", \.logLevel, doc: "trace, debug, info, notice, warning, error, critical (any case)."),
            .bool("performance_monitoring", \.performanceMonitoring, doc: "Export latency histograms and rates on /metrics."),
            .bool("auto_scaling", \.autoScaling,
                  doc: "Seed compatibility; the agent does not scale itself (run more agents in cluster mode)."),
            .section("modules", \.modules, doc: "The seed's Phase 2 modules."),
            .section("runtime", \.runtime, doc: "Executors and core placement."),
            .section("redis", \.redis, doc: "Redis connection (coordination, redis feed, redis alert channel)."),
            .section("http", \.http, doc: "HTTP control plane listener."),
            .section("security", \.security, doc: "The seed's security_config: JWT, RBAC, rate limit, TLS."),
            .section("journal", \.journal, doc: "Durable journal (SQLite)."),
            .section("feeds", \.feeds, doc: "Market data source."),
            .section("risk", \.risk, doc: "Pre-trade limits, kill switch, VaR."),
            .section("decision", \.decision, doc: "Decision thresholds of the latency engine."),
            .sections("alerts", \.alerts, doc: "Alert rules (the seed's list; a list here replaces it)."),
            .section("health_checks", \.healthChecks, doc: "The seed's health checks and the limits /health applies."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        var seen = Set<String>()
        for (index, spec) in alerts.enumerated() where !spec.name.isEmpty {
            if !seen.insert(spec.name).inserted {
                context.report(path: "alerts[\(index)].name", value: quote(spec.name), allowed: "a name not used by another rule",
                               origin: "cross-field check")
            }
        }
    }

    // MARK: Loading

    /// Loads YAML text over the defaults, applies `QUANTUM_AGENT_…` overrides from `environment`,
    /// and validates everything.
    /// - Parameters:
    ///   - yamlText: the document (may be empty: defaults only).
    ///   - source: name used in messages (the file path).
    ///   - environment: the process environment (pass `[:]` to ignore overrides).
    /// - Throws: `ConfigurationError.syntax` for malformed YAML, `.invalid` with every problem otherwise.
    static func load(yamlText: String, source: String = "<config>",
                     environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> AgentConfiguration {
        var tree = try ConfigValue.parse(yaml: yamlText, source: source)
        var context = ConfigContext()
        if case .list = tree.kind {
            context.report(path: "(document)", value: tree, allowed: "a mapping of sections")
            throw .invalid(context.issues)
        }
        if case .scalar = tree.kind {
            context.report(path: "(document)", value: tree, allowed: "a mapping of sections")
            throw .invalid(context.issues)
        }
        applyOverrides(environment, to: &tree)
        let configuration = AgentConfiguration.decode(tree, path: "", context: &context)
        guard context.issues.isEmpty else { throw .invalid(context.issues) }
        return configuration
    }

    /// Reads and loads a file. - Throws: `ConfigurationError.unreadable`, `.syntax` or `.invalid`.
    static func load(file path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> AgentConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try load(yamlText: text, source: path, environment: environment)
    }

    /// Writes `QUANTUM_AGENT_A__B__C=value` into the tree at `a.b.c`. Values starting with `[` or `{`
    /// are YAML flow collections; anything else is a scalar as written.
    static func applyOverrides(_ environment: [String: String], to tree: inout ConfigValue) {
        for (name, raw) in environment.sorted(by: { $0.key < $1.key })
        where name.hasPrefix(environmentPrefix) && !reservedEnvironment.contains(name) {
            let path = name.dropFirst(environmentPrefix.count).components(separatedBy: "__").map { $0.lowercased() }
            guard !path.contains(where: \.isEmpty) else { continue }
            let origin = "environment \(name)"
            var value = ConfigValue(kind: .scalar(raw), origin: origin)
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") || trimmed.hasPrefix("{"),
               var parsed = try? ConfigValue.parse(yaml: trimmed, source: origin) {
                parsed.origin = origin
                value = parsed
            }
            tree.set(value, at: path[...])
        }
    }

    // MARK: Derived values for the wiring

    /// Where Redis is: `redis.url` when set, else `modules.multi_agent.redis_host:redis_port`.
    var redisEndpoint: (host: String, port: Int, database: Int, password: String?) {
        var host = modules.multiAgent.redisHost, port = modules.multiAgent.redisPort, database = redis.database
        var password: String? = redis.password.isEmpty ? nil : redis.password
        if let components = URLComponents(string: redis.url), components.scheme == "redis" {
            host = components.host ?? host
            port = components.port ?? port
            if let db = Int(components.path.dropFirst()) { database = db }
            if let pw = components.password, !pw.isEmpty { password = pw }
        }
        return (host, port, database, password)
    }

    /// The alert rules for the AlertManager (specs whose condition parses; validation guarantees all do).
    var alertRules: [AlertRule] { alerts.compactMap(\.rule) }

    /// The configuration as YAML, each key preceded by its documentation when `documented`;
    /// secrets shown as `<redacted>` when `redact` is set.
    func yaml(redact: Bool = true, documented: Bool = true) -> String {
        ConfigYAMLWriter(documented: documented).write(rendered(redact: redact))
    }
}
