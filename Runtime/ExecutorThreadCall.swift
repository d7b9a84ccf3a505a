import CLinuxShim

/// A function isolated to an actor, made once and then called synchronously on
/// the thread of the actor's executor outside a job: from a channel handler while
/// the executor drains (`Channel.bind`, `ActorCell`). Called anywhere else, it
/// first asks the runtime (`preconditionIsolated`), which traps when the caller
/// is not isolated to the actor.
///
/// Why not `assumeIsolated` on the hot path: outside a job the Swift runtime has
/// no record of a current executor, so its check takes a slow path (it asks
/// whether the executor is the main executor, instantiating generic metadata),
/// and turning the non-escaping closure into a callable one allocates a context:
/// together ~150 ns and a malloc per message here (seen with `perf`). This checks
/// the thread's executor marker instead (set on a `PinnedExecutor` thread and
/// inside `DeterministicExecutor.run()`: one thread-local read) and calls a
/// function value converted once, the way the standard library calls the
/// closure after its own check.
///
/// ```swift
/// let handle = ExecutorThreadCall<Engine, Tick, Void> { engine, tick in engine.process(tick) }
/// ticks.bind(to: executor) { tick in handle(engine, tick) }
/// ```
public struct ExecutorThreadCall<A: Actor, Argument, Result: Sendable, Failure: Error> {
    @usableFromInline let unchecked: (A, Argument) throws(Failure) -> Result

    public init(_ body: @escaping (isolated A, Argument) throws(Failure) -> Result) {
        unchecked = unsafeBitCast(body, to: ((A, Argument) throws(Failure) -> Result).self)
    }

    /// Runs the function isolated to `actor`. Traps unless the caller is isolated
    /// to it (normally: on the thread of its executor, during a drain).
    @inlinable
    public func callAsFunction(_ actor: A, _ argument: Argument) throws(Failure) -> Result {
        if !actor.isOnItsExecutorThread { actor.preconditionIsolated("ExecutorThreadCall outside the actor's isolation") }
        return try unchecked(actor, argument)
    }
}

extension Actor {
    /// Whether the calling thread is the one of this actor's custom executor, by
    /// the thread's executor marker (false for a default actor).
    @inlinable
    nonisolated var isOnItsExecutorThread: Bool {
        // An UnownedSerialExecutor is (identity, witness table | flags); the identity
        // of a custom executor is the executor object (for a default actor, the actor).
        let identity = unsafeBitCast(unownedExecutor, to: (UnsafeMutableRawPointer?, UInt).self).0
        return identity != nil && identity == qa_get_current_executor()
    }
}
