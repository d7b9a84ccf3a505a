import CNuma
import Foundation
import Logging

/// A raw buffer allocated on one NUMA node (`numa_alloc_onnode`), falling back
/// to an ordinary page-aligned allocation — logged once — when libnuma is
/// unavailable or the node does not exist. Used for executor rings so a pinned
/// thread touches only memory local to its node.
///
/// Owned by whoever created it; `deallocate()` must be called exactly once.
public struct NodeLocalBuffer: @unchecked Sendable {
    // @unchecked: a raw pointer handed to exactly one owner (a ring), which frees it once.
    /// Start of the buffer, aligned to at least 64 bytes.
    public let base: UnsafeMutableRawPointer
    /// Size in bytes.
    public let byteCount: Int
    /// The node the memory is on, or nil when the fallback allocator was used.
    public let node: Int?

    /// Allocates `byteCount` bytes, zeroed, on `node` when possible.
    public static func allocate(byteCount: Int, node: Int?, logger: Logger? = nil) -> NodeLocalBuffer {
        let size = max(byteCount, 64)
        if let node, numa_available() >= 0, node <= Int(numa_max_node()) {
            if let raw = numa_alloc_onnode(size, Int32(node)) {
                memset(raw, 0, size)
                return NodeLocalBuffer(base: raw, byteCount: size, node: node)
            }
            logger?.warning("numa_alloc_onnode failed, using the default allocator", metadata: ["node": "\(node)", "bytes": "\(size)"])
        } else if let node {
            logger?.debug("NUMA node not available, using the default allocator", metadata: ["node": "\(node)"])
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return NodeLocalBuffer(base: raw, byteCount: size, node: nil)
    }

    /// Frees the buffer with the allocator that produced it.
    public func deallocate() {
        if node != nil {
            numa_free(base, byteCount)
        } else {
            base.deallocate()
        }
    }
}
