import TestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Protocols

@Suite("Redis connection against a real redis-server", .serialized)
struct RedisConnectionTests {
    @Test("binary values with NUL bytes round-trip through SET/GET; error replies throw .server")
    func binarySafeCommands() throws {
        try TestRedis.with { config throws in
            let redis = RedisConnection(configuration: config)
            let key = TestRedis.prefix("bin") + "k\u{0}ey"
            var value: [UInt8] = [0, 1, 0, 255, 13, 10, 36, 42]
            value += (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try redis.command(["SET", RedisArgument(key), RedisArgument(bytes: value)])
            #expect(try redis.command(["GET", RedisArgument(key)]) == .bulk(value))
            #expect(try redis.command(["STRLEN", RedisArgument(key)]) == .integer(Int64(value.count)))
            #expect(try redis.command("GET", RedisArgument(key + "missing")) == .null)
            #expect(throws: RedisError.server(command: "INCR", message: "ERR value is not an integer or out of range")) {
                try redis.command(["INCR", RedisArgument(key)])
            }
            #expect(try redis.command("PING") == .status("PONG"))  // still usable after an error reply
            try redis.command(["DEL", RedisArgument(key)])
        }
    }

    @Test("a pipeline returns every reply in order, error replies in place")
    func pipeline() throws {
        try TestRedis.with { config throws in
            let redis = RedisConnection(configuration: config)
            let key = TestRedis.prefix("pipe")
            var commands: [[RedisArgument]] = (0..<200).map { _ in ["INCR", RedisArgument(key)] }
            commands.insert(["HGET", RedisArgument(key), "f"], at: 100)
            let replies = try redis.pipeline(commands)
            #expect(replies.count == 201)
            #expect(replies[0] == .integer(1))
            #expect(replies[100].errorMessage?.hasPrefix("WRONGTYPE") == true)
            #expect(replies[200] == .integer(200))
            try redis.command(["DEL", RedisArgument(key)])
        }
    }

    @Test("EVALSHA loads the script on NOSCRIPT and the local SHA1 matches the server's")
    func evalshaFallback() throws {
        try TestRedis.with { config throws in
            let redis = RedisConnection(configuration: config)
            let script = RedisScript("return {KEYS[1], ARGV[1], 7}")
            try redis.command("SCRIPT", "FLUSH")
            let reply = try redis.evalsha(script, keys: ["k"], arguments: ["v"])
            #expect(reply == .array([.bulk(Array("k".utf8)), .bulk(Array("v".utf8)), .integer(7)]))
            #expect(try redis.scriptLoad(script) == script.sha1)
            #expect(throws: RedisError.self) { try redis.evalsha(RedisScript("return redis.call('NOPE')"), keys: [], arguments: []) }
        }
    }

    @Test("AUTH with a password and with an ACL user; a wrong password is authenticationFailed")
    func authentication() throws {
        let server = try RedisServerProcess()  // private: changes server auth settings
        defer { server.stop() }
        let admin = RedisConnection(configuration: server.configuration)
        try admin.command("ACL", "SETUSER", "agent", "on", ">agent-pw", "~*", "&*", "+@all")
        try admin.command("CONFIG", "SET", "requirepass", "default-pw")
        var unauthenticated = server.configuration
        #expect(throws: RedisError.self) { try RedisConnection(configuration: unauthenticated).command("PING") }
        unauthenticated.password = "default-pw"
        #expect(try RedisConnection(configuration: unauthenticated).command("PING") == .status("PONG"))
        var acl = server.configuration
        acl.username = "agent"
        acl.password = "agent-pw"
        #expect(try RedisConnection(configuration: acl).command("ACL", "WHOAMI") == .bulk(Array("agent".utf8)))
        acl.password = "wrong"
        #expect {
            try RedisConnection(configuration: acl).connect()
        } throws: { error in
            guard case .authenticationFailed = error as? RedisError else { return false }
            return true
        }
    }

    @Test("a read that exceeds the read timeout throws readTimeout and the next command reconnects")
    func readTimeout() throws {
        try TestRedis.with { config throws in
            var short = config
            short.readTimeoutMs = 100
            let redis = RedisConnection(configuration: short)
            #expect(throws: RedisError.readTimeout(ms: 100)) {
                try redis.command("BLPOP", RedisArgument(TestRedis.prefix("never")), "1")
            }
            #expect(!redis.isConnected)
            #expect(try redis.command("PING") == .status("PONG"))
        }
    }

    @Test("after redis-server restarts mid-test, the dead connection throws and the next command reconnects")
    func reconnectAfterRestart() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let redis = RedisConnection(configuration: server.configuration)
        try redis.command("SET", "k", "before")
        server.kill()
        #expect(performing: { try redis.command("GET", "k") }, throws: { ($0 as? RedisError)?.isConnectionError == true })
        #expect(throws: RedisError.self) { try redis.command("PING") }  // server down: connect fails
        try server.start()
        var backoff = ReconnectBackoff(initialNs: 1_000_000, maximumNs: 50_000_000)
        var reply: RedisReply?
        for _ in 0..<50 where reply == nil {
            reply = try? redis.command("PING")
            if reply == nil { usleep(UInt32(backoff.nextDelayNs() / 1000)) }
        }
        #expect(reply == .status("PONG"))
        #expect(try redis.command("GET", "k") == .null)  // no persistence configured
    }
}

@Suite("A private redis-server")
struct RedisServerProcessTests {
    @Test("its port lies below the kernel's ephemeral range; a restart answered by another server on its port fails loudly")
    func restartOnATakenPortFails() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        #expect((20_000..<32_768).contains(server.port))
        server.stop()
        // Another redis-server takes the port while this one is down.
        let intruder = Process()
        intruder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        intruder.arguments = ["redis-server", "--port", String(server.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        intruder.standardOutput = FileHandle.nullDevice
        intruder.standardError = FileHandle.nullDevice
        try intruder.run()
        // SIGKILL: a child of the test runner inherits its blocked SIGTERM.
        defer { kill(intruder.processIdentifier, SIGKILL); intruder.waitUntilExit() }
        let probe = RedisConnection(configuration: server.configuration)
        var answered = false
        for _ in 0..<300 where !answered {
            answered = (try? probe.command("PING")) != nil
            if !answered { usleep(10_000) }
        }
        try #require(answered, "the other redis-server did not start")
        #expect(throws: RedisServerProcess.StartError.launchFailed(
            reason: "port \(server.port) is answered by another redis-server (this one could not bind it)")) {
            try server.start()
        }
        #expect(!server.isRunning)
    }
}

@Suite("Locked Redis connection")
struct LockedRedisConnectionTests {
    @Test("threads sharing a LockedRedisConnection never interleave commands: every INCR reply is distinct")
    func sharedAcrossThreads() throws {
        try TestRedis.with { config throws in
            let shared = LockedRedisConnection(configuration: config)
            let key = RedisArgument(TestRedis.prefix("locked"))
            let replies = EventLog<Int64>()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                for _ in 0..<250 {
                    if let value = (try? shared.command(["INCR", key]))?.integer { replies.append(value) }
                }
            }
            #expect(replies.all.sorted() == Array(1...1000))
            try shared.command(["DEL", key])
        }
    }
}
