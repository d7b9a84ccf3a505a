// Stop flag and exposed socket of a reader thread.

import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Lets another thread stop a reader blocked in `redisGetReply`: it sets the flag and
/// `shutdown(2)`s the socket the reader published. The descriptor is withdrawn (under the
/// same lock) before the reader closes it, so a stale descriptor is never shut down.
final class ReaderControl: Sendable {
    private struct State {
        var stopping = false
        var fd: Int32 = -1
    }

    private let state = Mutex(State())

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Publishes the reader's socket; returns `false` if a stop is already requested.
    func publish(fd: Int32) -> Bool {
        state.withLock { state in
            state.fd = fd
            return !state.stopping
        }
    }

    /// Withdraws the socket (call before closing it).
    func withdraw() {
        state.withLock { $0.fd = -1 }
    }

    /// Requests a stop and wakes a blocked read.
    func requestStop() {
        state.withLock { state in
            state.stopping = true
            if state.fd >= 0 { _ = shutdown(state.fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Sleeps `ns` in slices of at most 20 ms, returning early when a stop is requested.
    func sleep(ns: UInt64) {
        var remaining = ns
        while remaining > 0, !isStopping {
            let slice = min(remaining, 20_000_000)
            var request = timespec(tv_sec: 0, tv_nsec: Int(slice))
            _ = nanosleep(&request, nil)
            remaining -= slice
        }
    }
}
