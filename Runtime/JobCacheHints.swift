import CLinuxShim

/// Cache hints for handing a Swift job, usually a suspended task, to another core.
///
/// Why: an `await` from an actor on one pinned executor to an actor on another moves
/// the task between cores, and the receiving core then reads the lines the sending core
/// just wrote: the job header (`ResumeTask`), `ResumeContext` and the task status that
/// the runtime updates with a compare-and-swap before it resumes the task, and then
/// the async frame it resumes into. Each is a cross-core miss (~100–170 ns on this VM),
/// taken one after another. Two hints shorten that chain:
/// - the producer demotes those lines to the shared last-level cache (CLDEMOTE) just
///   after it publishes the job (their addresses read before), so the consumer's
///   misses are served from there instead of by a snoop into the producer's private
///   cache;
/// - the consumer prefetches them for writing (PREFETCHW) as soon as it pops the job,
///   so the misses overlap instead of following one another.
///
/// Measured with the `perf hop` code (`actor.pinned.cross-core`, spin, variants
/// interleaved in one process, median of 7 runs of 0.4 s), round trip p50: 1018 ns
/// without hints, 886 ns demoting only, 794 ns with both; demoting before the push
/// instead of after measured 963 ns, and without the fourth task line 853 ns.
///
/// Layout used (the Swift runtime's ABI for 64-bit targets, `swift/ABI/Task.h`):
/// a `Job` is 64 bytes with its kind in the low byte of the flags at offset 32 (0 for
/// an `AsyncTask`), and an `AsyncTask` continues with `ResumeContext` at offset 64 and
/// its private storage (task status, allocator) after it, 200 bytes in all. Neither
/// hint faults (CLDEMOTE raises no memory exception and is a NOP on CPUs without it;
/// prefetches never fault), so a layout change could cost speed, never correctness.
enum JobCacheHints {
    /// Bytes of an `AsyncTask` object covered by the hints (its size without fragments).
    static let taskBytes = 200
    static let kindOffset = 32
    static let resumeContextOffset = 64
    static let asyncTaskKind: UInt8 = 0

    /// The addresses `demote` hints: read them while the job is still ours (before it is
    /// published), demote them after.
    struct Lines {
        let base: UnsafeRawPointer
        let context: UnsafeRawPointer?
        let isTask: Bool
    }

    /// Reads the addresses to demote from `job`, which the caller still owns.
    @inline(__always)
    static func lines(of job: UnownedJob) -> Lines {
        let base = unsafeBitCast(job, to: UnsafeRawPointer.self)
        #if _pointerBitWidth(_64)
        let isTask = base.load(fromByteOffset: kindOffset, as: UInt8.self) == asyncTaskKind
        let context = isTask ? base.load(fromByteOffset: resumeContextOffset, as: UnsafeRawPointer?.self) : nil
        return Lines(base: base, context: context, isTask: isTask)
        #else
        return Lines(base: base, context: nil, isTask: false)
        #endif
    }

    /// Demotes `lines` to the shared cache. Safe after the job is published, even if it
    /// already ran and its task ended: CLDEMOTE touches no architectural state.
    @inline(__always)
    static func demote(_ lines: Lines) {
        #if _pointerBitWidth(_64)
        qa_cache_demote(lines.base)
        guard lines.isTask else { return }
        qa_cache_demote(lines.base + 64)
        qa_cache_demote(lines.base + 128)
        qa_cache_demote(lines.base + (taskBytes - 1))
        if let context = lines.context { qa_cache_demote(context) }
        #endif
    }

    /// Prefetches, for writing, the lines of `job` and of the async frame it resumes
    /// into. Call right after popping it, before running it.
    @inline(__always)
    static func prefetch(_ job: UnownedJob) {
        #if _pointerBitWidth(_64)
        let base = unsafeBitCast(job, to: UnsafeRawPointer.self)
        qa_prefetch_write(base)
        qa_prefetch_write(base + 64)
        qa_prefetch_write(base + 128)
        qa_prefetch_write(base + (taskBytes - 1))
        guard base.load(fromByteOffset: kindOffset, as: UInt8.self) == asyncTaskKind,
              let context = base.load(fromByteOffset: resumeContextOffset, as: UnsafeRawPointer?.self) else { return }
        qa_prefetch_write(context)
        qa_prefetch_write(context + 64)
        #endif
    }
}
