import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM as a flag: the first signal asks the agent to stop
/// gracefully; handlers run on a dispatch queue, never in signal context.
final class StopSignal: @unchecked Sendable {
    // @unchecked: `sources` is written once by `install()` before any other thread
    // sees the object and only keeps the dispatch sources alive; the flag is atomic.
    private let requested = Atomic<Bool>(false)
    private var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers (ignoring the default action of both signals).
    func install() {
        var installed: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in requested.store(true, ordering: .releasing) }
            source.resume()
            installed.append(source)
        }
        sources = installed
    }

    var isRequested: Bool { requested.load(ordering: .acquiring) }
    func request() { requested.store(true, ordering: .releasing) }
}
