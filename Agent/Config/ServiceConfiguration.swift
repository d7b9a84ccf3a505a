// `redis:`, `http:`, `security:` and `journal:` — the services around the pipeline.
// `security` keeps the seed's security_config keys as they are.

/// `redis`: the connection used by coordination, the Redis feed and the Redis alert channel.
struct RedisConfiguration: ConfigSection {
    /// `redis://[:password@]host:port[/db]`; empty = `modules.multi_agent.redis_host:redis_port`.
    var url = ""
    /// AUTH password (secret; prefer env `QUANTUM_AGENT_REDIS__PASSWORD`).
    var password = ""
    var database = 0
    var connectTimeoutMs = 1000
    var commandTimeoutMs = 500
    var reconnectBackoffMs = 100

    static var fields: [ConfigField<Self>] {
        [
            .string("url", \.url, secret: true,
                    doc: "redis://host:port[/db]; empty = modules.multi_agent.redis_host and redis_port (secret: may hold a password)."),
            .string("password", \.password, secret: true, doc: "AUTH password (secret; env QUANTUM_AGENT_REDIS__PASSWORD)."),
            .int("database", \.database, range: 0...15, doc: "Database number (SELECT)."),
            .int("connect_timeout_ms", \.connectTimeoutMs, range: 1...600_000, doc: "Connect timeout, ms."),
            .int("command_timeout_ms", \.commandTimeoutMs, range: 1...600_000, doc: "Reply timeout of a command, ms."),
            .int("reconnect_backoff_ms", \.reconnectBackoffMs, range: 1...600_000,
                 doc: "First reconnect delay, ms (doubles up to 30 s)."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if !url.isEmpty, !(url.hasPrefix("redis://") || url.hasPrefix("unix://")) {
            context.report(path: ConfigContext.join(path, "url"), value: "<redacted>",
                           allowed: "a redis://host:port[/db] or unix:///path URL", origin: "cross-field check")
        }
    }
}

/// `http`: the control plane's listener.
struct HTTPConfiguration: ConfigSection {
    var enabled = true
    var host = "127.0.0.1"
    var port = 8080
    /// Largest request body accepted, bytes.
    var maxBodyBytes = 65_536

    static var fields: [ConfigField<Self>] {
        [
            .bool("enabled", \.enabled, doc: "Serve the HTTP control plane."),
            .string("host", \.host, nonEmpty: true, doc: "Listen address (loopback by default; `run --http-host` overrides)."),
            .int("port", \.port, range: 0...65535, doc: "Listen port (0 = any free port; `run --http-port` overrides)."),
            .int("max_body_bytes", \.maxBodyBytes, range: 64...16_777_216,
                 doc: "Largest request body, bytes; larger → 413."),
        ]
    }
}

/// `security`: the seed's security_config (authentication, RBAC, rate limit, TLS) plus the JWT key.
struct SecurityConfiguration: ConfigSection {
    var authentication = "JWT"
    var authorization = "RBAC"
    var rateLimiting = true
    var maxRequestsPerMinute = 1000
    /// The seed sets True; the default here is false because the default listener is loopback
    /// and the certificate files do not exist on a fresh host. Deploy/production_config.yaml sets true.
    var sslEnabled = false
    var certificatePath = "/etc/ssl/certs/trading_agent.crt"
    var privateKeyPath = "/etc/ssl/private/trading_agent.key"
    /// File holding the HS256 key; `QUANTUM_AGENT_JWT_SECRET` wins when set.
    var jwtKeyFile = ""
    var jwtIssuer = "quantum-agent"

    static var fields: [ConfigField<Self>] {
        [
            .string("authentication", \.authentication, oneOf: ["JWT"], doc: "JWT (HS256 bearer tokens); the only scheme."),
            .string("authorization", \.authorization, oneOf: ["RBAC"],
                    doc: "RBAC: roles viewer (reads), operator (acknowledge, snooze, pause, resume), admin (halt, rollback)."),
            .bool("rate_limiting", \.rateLimiting, doc: "Token-bucket rate limit per client address."),
            .int("max_requests_per_minute", \.maxRequestsPerMinute, range: 1...10_000_000,
                 doc: "Requests per minute per client; past it → 429 with Retry-After."),
            .bool("ssl_enabled", \.sslEnabled, doc: "Serve HTTPS (TLS) with certificate_path and private_key_path."),
            .string("certificate_path", \.certificatePath, doc: "PEM certificate chain for TLS."),
            .string("private_key_path", \.privateKeyPath, doc: "PEM private key for TLS."),
            .string("jwt_key_file", \.jwtKeyFile,
                    doc: "File holding the HS256 signing key; env QUANTUM_AGENT_JWT_SECRET wins. No key → mutating routes refused."),
            .string("jwt_issuer", \.jwtIssuer, nonEmpty: true, doc: "`iss` claim written and required in tokens."),
        ]
    }

    func validate(path: String, context: inout ConfigContext) {
        if sslEnabled {
            for (key, value) in [("certificate_path", certificatePath), ("private_key_path", privateKeyPath)] where value.isEmpty {
                context.report(path: ConfigContext.join(path, key), value: "\"\"",
                               allowed: "a file path when ssl_enabled is true", origin: "cross-field check")
            }
        }
    }
}

/// `journal`: the durable record of orders, fills, decisions, alerts and model swaps.
struct JournalConfiguration: ConfigSection {
    /// How hard SQLite syncs.
    enum Synchronous: String, CaseIterable, Sendable { case off, normal, full }

    var enabled = true
    var path = "./quantum-agent-journal.sqlite"
    var synchronous = Synchronous.normal
    /// Records written per transaction at most.
    var batchSize = 2048
    /// Longest a record waits before its batch is committed, ms.
    var flushIntervalMs = 50

    static var fields: [ConfigField<Self>] {
        [
            .bool("enabled", \.enabled, doc: "Write the journal."),
            .string("path", \.path, nonEmpty: true, doc: "SQLite file (created if missing)."),
            .choice("synchronous", \.synchronous, doc: "SQLite synchronous mode: off, normal (WAL default), full."),
            .int("batch_size", \.batchSize, range: 1...100_000, doc: "Records per transaction at most."),
            .int("flush_interval_ms", \.flushIntervalMs, range: 1...60_000, doc: "Longest a record waits for its commit, ms."),
        ]
    }
}
