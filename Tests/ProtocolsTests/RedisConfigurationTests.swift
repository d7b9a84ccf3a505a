import Testing
@testable import Protocols

@Suite("Redis configuration and backoff")
struct RedisConfigurationTests {
    @Test("URLs parse host, port, ACL user, password, database; the password is redacted")
    func parsesURLs() throws {
        let plain = try RedisConfiguration(url: "redis://127.0.0.1:6390")
        #expect(plain.host == "127.0.0.1" && plain.port == 6390 && plain.password == nil && plain.database == 0)
        let acl = try RedisConfiguration(url: "redis://agent:s3cr%40t@redis.local:7000/2")
        #expect(acl.username == "agent" && acl.password == "s3cr@t" && acl.host == "redis.local" && acl.port == 7000 && acl.database == 2)
        #expect(acl.description == "redis://agent:<redacted>@redis.local:7000/2")
        let passwordOnly = try RedisConfiguration(url: "redis://:pw@h")
        #expect(passwordOnly.username == nil && passwordOnly.password == "pw" && passwordOnly.port == 6379)
        let v6 = try RedisConfiguration(url: "redis://[::1]:7001")
        #expect(v6.host == "::1" && v6.port == 7001)
    }

    @Test("bad URLs are typed errors that name the part and never echo the password")
    func rejectsBadURLs() {
        #expect(throws: RedisError.invalidURL(url: "http://x", reason: "scheme must be redis://")) {
            try RedisConfiguration(url: "http://x")
        }
        #expect(throws: RedisError.invalidURL(url: "redis://<redacted>@h:99999", reason: "port '99999' not in 1...65535")) {
            try RedisConfiguration(url: "redis://u:secret@h:99999")
        }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://:6379") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://h:1/x") }
    }

    @Test("backoff grows exponentially to the cap, jitter only shortens, reset restarts")
    func backoff() {
        var backoff = ReconnectBackoff(initialNs: 100, maximumNs: 1000, multiplier: 2, jitter: 0)
        #expect((0..<6).map { _ in backoff.nextDelayNs() } == [100, 200, 400, 800, 1000, 1000])
        backoff.reset()
        #expect(backoff.nextDelayNs() == 100)
        var jittered = ReconnectBackoff(initialNs: 1000, maximumNs: 100_000, jitter: 0.5, seed: 42)
        for attempt in 0..<8 {
            let nominal = min(1000 * UInt64(1) << UInt64(attempt), 100_000)
            let delay = jittered.nextDelayNs()
            #expect(delay <= nominal && delay >= nominal / 2)
        }
    }
}
