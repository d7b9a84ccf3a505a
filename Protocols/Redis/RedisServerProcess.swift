// A private redis-server on a free loopback port (tests, `perf consensus` without --redis).

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts `redis-server` on 127.0.0.1 and a free port, without persistence by default
/// (`--save "" --appendonly no`), and stops it. Not thread-safe: one owner.
public final class RedisServerProcess {
    /// Why the server could not be started.
    public enum StartError: Error, CustomStringConvertible, Equatable {
        case executableNotFound(searched: String)
        case noFreePort(reason: String)
        case launchFailed(reason: String)
        case notReady(port: Int, waitedMs: Int)

        public var description: String {
            switch self {
            case let .executableNotFound(searched): "redis-server not found (searched \(searched)); install redis-server"
            case let .noFreePort(reason): "no free loopback port for redis-server: \(reason)"
            case let .launchFailed(reason): "redis-server failed to launch: \(reason)"
            case let .notReady(port, waitedMs): "redis-server on port \(port) did not answer PING within \(waitedMs) ms"
            }
        }
    }

    /// TCP port on 127.0.0.1 (kept across ``restart()``).
    public let port: Int
    /// Directory for an append-only file, or `nil` for no persistence.
    public let persistenceDirectory: String?
    private let executable: String
    private var pid: pid_t?

    /// Starts the server and waits until it answers PING.
    /// - Parameter persistenceDirectory: when set, runs with `--appendonly yes --appendfsync always`
    ///   in that directory, so data survives ``restart()``.
    public init(executable: String? = nil, persistenceDirectory: String? = nil) throws(StartError) {
        if let executable {
            self.executable = executable
        } else {
            self.executable = try Self.findExecutable()
        }
        self.persistenceDirectory = persistenceDirectory
        port = try Self.freePort()
        try start()
    }

    deinit { stop() }

    /// Configuration for clients of this server.
    public var configuration: RedisConfiguration { RedisConfiguration(host: "127.0.0.1", port: port) }

    /// `redis://127.0.0.1:port`.
    public var url: String { "redis://127.0.0.1:\(port)" }

    /// Whether the process is running.
    public var isRunning: Bool {
        guard let pid else { return false }
        if waitpid(pid, nil, WNOHANG) == 0 { return true }
        self.pid = nil  // exited and reaped
        return false
    }

    /// Starts the server if it is not running, and waits until it answers PING (5 s at most).
    public func start() throws(StartError) {
        guard pid == nil else { return }
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--daemonize", "no",
                         "--loglevel", "warning", "--logfile", ""]
        if let persistenceDirectory {
            arguments += ["--appendonly", "yes", "--appendfsync", "always", "--dir", persistenceDirectory]
        } else {
            arguments += ["--appendonly", "no"]
        }
        let pid = try Self.spawn(executable: executable, arguments: arguments)
        self.pid = pid
        let probe = RedisConnection(configuration: RedisConfiguration(port: port, connectTimeoutMs: 100, readTimeoutMs: 500))
        defer { probe.close() }
        for _ in 0..<500 {
            // The server answering must be this one: while it was stopped, another process
            // may have taken the port, and this one then exits with "address in use".
            // Ready once PING answers: INFO answers while the dataset is still loading, PING
            // does not (LOADING).
            if let info = try? probe.command(["INFO", "server"]), let text = info.string {
                guard text.contains("process_id:\(pid)\r\n") else {
                    stop()
                    throw .launchFailed(reason: "port \(port) is answered by another redis-server (this one could not bind it)")
                }
                if (try? probe.command("PING")) == .status("PONG") { return }
            }
            guard isRunning else { break }
            usleep(10_000)
        }
        stop()
        throw .notReady(port: port, waitedMs: 5000)
    }

    /// Stops the server (SIGTERM, then waits). Idempotent.
    public func stop() { terminate(signal: SIGTERM) }

    /// Kills the server with SIGKILL (a crash: no shutdown save).
    public func kill() { terminate(signal: SIGKILL) }

    private func terminate(signal: Int32) {
        guard let pid else { return }
        _ = Glibc.kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        self.pid = nil
    }

    /// posix_spawn with a cleared signal mask and default dispositions (the test runner
    /// blocks SIGTERM on its threads; an inherited mask would make the server unkillable).
    private static func spawn(executable: String, arguments: [String]) throws(StartError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else { throw .launchFailed(reason: String(cString: strerror(status))) }
        return pid
    }

    /// Stops and starts again on the same port.
    public func restart() throws(StartError) {
        stop()
        try start()
    }

    private static func findExecutable() throws(StartError) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            let candidate = directory + "/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .executableNotFound(searched: directories.joined(separator: ":"))
    }

    /// A free port below the kernel's ephemeral range (`ip_local_port_range`, 32768 and up
    /// by default), so no client connection's local port can take it while a test has the
    /// server stopped for a restart; the kernel's pick (bind to port 0) if none is found.
    private static func freePort() throws(StartError) -> Int {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<64 {
            let candidate = Int.random(in: 20_000..<32_768, using: &generator)
            if (try? bindable(candidate)) == candidate { return candidate }
        }
        return try bindable(0)
    }

    /// Binds 127.0.0.1:`port` (0: the kernel picks), then releases it; returns the port bound.
    private static func bindable(_ port: Int) throws(StartError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .noFreePort(reason: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw .noFreePort(reason: "bind: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw .noFreePort(reason: "getsockname: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
