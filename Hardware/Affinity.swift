import CLinuxShim
import Logging

/// Thread pinning and CPU queries for the calling thread.
public enum Affinity {
    /// Pins the calling thread to `cpu`.
    /// - Throws: `HardwareError.pinningFailed` with the errno from `pthread_setaffinity_np`.
    public static func pinCurrentThread(to cpu: Int) throws(HardwareError) {
        let rc = qa_pin_current_thread(Int32(cpu))
        guard rc == 0 else { throw .pinningFailed(core: cpu, errno: rc) }
    }

    /// Pins the calling thread, or logs why it could not and leaves it unpinned.
    /// - Returns: whether the thread is now pinned.
    @discardableResult
    public static func pinCurrentThreadOrLog(to cpu: Int, logger: Logger) -> Bool {
        do {
            try pinCurrentThread(to: cpu)
            return true
        } catch {
            logger.warning("thread left unpinned", metadata: ["cpu": "\(cpu)", "error": "\(error)"])
            return false
        }
    }

    /// The CPU the calling thread runs on now (`sched_getcpu`), or nil.
    public static var currentCPU: Int? {
        let cpu = qa_current_cpu()
        return cpu >= 0 ? Int(cpu) : nil
    }

    /// The CPUs the calling thread may run on (first 64), or nil on error.
    public static var currentAffinity: [Int]? {
        let mask = qa_current_affinity_mask()
        guard mask != -1 else { return nil }
        return (0..<64).filter { mask & (Int64(1) << Int64($0)) != 0 }
    }

    /// Names the calling thread for `top -H`, `ps -L` and `/proc` (first 15 bytes kept).
    public static func nameCurrentThread(_ name: String) {
        _ = qa_set_current_thread_name(name)
    }

    /// The Linux thread id of the calling thread.
    public static var threadID: Int32 { qa_thread_id() }
}
