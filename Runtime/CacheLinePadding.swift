/// 64 bytes of nothing. Declared as the first stored property of a class whose
/// other fields are read by other threads, it moves them off the cache line of the
/// object header: the reference count lives there, and every retain or release,
/// by any thread, writes it (the executor loop retains each channel it drains).
/// Fields from offset 80 never share a 64-byte line with the count at offset 8.
@usableFromInline
struct CacheLinePadding: Sendable {
    private var words: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline init() {}
}
