// `quantum-agent inspect [--url URL] [--token T] [--watch] [--json]` and `inspect actor NAME`.
// --watch redraws in place like `top` (cursor home, each line cleared to its end, rest of the
// screen cleared: no blank frame, so no flicker); `q` quits.

import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Options shared by `inspect` and `inspect actor`.
struct InspectOptions: ParsableArguments {
    @Option(help: "The agent's control plane.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "Bearer token (viewer role is enough); default: $QUANTUM_AGENT_TOKEN.")
    var token: String?

    @Flag(help: "Redraw every --interval seconds until `q`.")
    var watch = false

    @Flag(help: "Print one JSON document (for scripts).")
    var json = false

    @Option(help: "Seconds between redraws with --watch.")
    var interval: Double = 1

    func client() -> InspectClient {
        do {
            return try InspectClient(url: url, token: token ?? ProcessInfo.processInfo.environment["QUANTUM_AGENT_TOKEN"])
        } catch {
            EvalExit.fail(error.description)
        }
    }

    /// Fetches once, or every `interval` until `q` with --watch; `frame` returns the lines to show.
    func run(frame: @escaping (InspectSnapshot) -> [String]) async {
        let client = client()
        guard watch else {
            do {
                print(frame(try await client.snapshot()).joined(separator: "\n"))
            } catch {
                EvalExit.fail(error.description)
            }
            return
        }
        let terminal = TerminalScreen()
        defer { terminal.leave() }
        while true {
            let lines: [String]
            do {
                lines = frame(try await client.snapshot())
            } catch {
                lines = ["quantum-agent inspect  (q quits)", "", error.description]
            }
            terminal.draw(lines)
            if terminal.waitForQuit(seconds: max(0.1, interval)) { return }
        }
    }
}

/// `inspect`: actors, executors, end-to-end latency, open alerts.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a running agent's actors, executors, latency and alerts (top-like with --watch).",
        subcommands: [InspectActorCommand.self]
    )

    @OptionGroup var options: InspectOptions

    func run() async throws {
        if options.json {
            do {
                EvalExit.printJSON(try await options.client().snapshot())
            } catch {
                EvalExit.fail(error.description)
            }
            return
        }
        let watching = options.watch
        await options.run { InspectView.overview($0, watching: watching) }
    }
}

/// `inspect actor NAME`: one actor in detail.
struct InspectActorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "actor", abstract: "Show one actor in detail.")

    @Argument(help: "The actor's name (see `inspect`).")
    var name: String

    @OptionGroup var options: InspectOptions

    func run() async throws {
        let name = self.name
        if options.json {
            do {
                let snapshot = try await options.client().snapshot()
                guard let actor = snapshot.actors.first(where: { $0.name == name }) else {
                    EvalExit.fail("no actor \(name); actors: \(snapshot.actors.map(\.name).joined(separator: ", "))")
                }
                EvalExit.printJSON(actor)
            } catch {
                EvalExit.fail(error.description)
            }
            return
        }
        if !options.watch {
            do {
                let snapshot = try await options.client().snapshot()
                guard let lines = InspectView.actor(name, in: snapshot) else {
                    EvalExit.fail("no actor \(name); actors: \(snapshot.actors.map(\.name).joined(separator: ", "))")
                }
                print(lines.joined(separator: "\n"))
            } catch {
                EvalExit.fail(error.description)
            }
            return
        }
        await options.run { InspectView.actor(name, in: $0) ?? ["no actor \(name)  (q quits)"] }
    }
}

/// The terminal during --watch: alternate screen, hidden cursor, keys read without Enter.
final class TerminalScreen {
    private var saved = termios()
    private let interactive: Bool

    init() {
        interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        guard interactive else { return }
        tcgetattr(STDIN_FILENO, &saved)
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        write("\u{1B}[?1049h\u{1B}[?25l")
    }

    /// Draws a frame over the previous one: home, each line then clear-to-end-of-line, then clear below.
    func draw(_ lines: [String]) {
        guard interactive else {
            write(lines.joined(separator: "\n") + "\n\n")
            return
        }
        write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
    }

    /// Waits up to `seconds` for a key; true when it was `q`.
    func waitForQuit(seconds: Double) -> Bool {
        guard interactive else {
            usleep(useconds_t(seconds * 1_000_000))
            return false
        }
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(seconds * 1000)) > 0 else { return false }
        var byte: UInt8 = 0
        guard read(STDIN_FILENO, &byte, 1) == 1 else { return true }
        return byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q")
    }

    /// Restores the screen and the terminal modes.
    func leave() {
        guard interactive else { return }
        write("\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
