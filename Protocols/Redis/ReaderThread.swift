// A dedicated OS thread for blocking reads, off Swift's cooperative pool.

import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs one body on a pthread of its own.
///
/// Blocking hiredis reads (`redisGetReply`, `XREADGROUP BLOCK`) must never run on the
/// cooperative pool (2 threads here: a few blocked readers hang the process). The body is
/// handed to `pthread_create` through `Unmanaged` and a non-capturing closure (a capturing
/// closure crashes swift-frontend 6.3.1 in Swift 6 mode).
final class ReaderThread: Sendable {
    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// The thread until joined; `nil` afterwards, so a second `join()` is a no-op.
    private let thread: Mutex<pthread_t?>

    /// Starts `body` on a new thread.
    /// - Throws: `RedisError.threadStartFailed` with pthread's error code.
    init(_ body: @escaping @Sendable () -> Void) throws(RedisError) {
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, context)
        if status != 0 {
            Unmanaged<Box>.fromOpaque(context).release()
            throw .threadStartFailed(code: status)
        }
        thread = Mutex(handle)
    }

    /// Waits for the body to return (idempotent). Never call from the thread itself.
    func join() {
        guard let handle = thread.withLock({ state -> pthread_t? in
            defer { state = nil }
            return state
        }) else { return }
        pthread_join(handle, nil)
    }
}
