import Runtime

/// A tap from the engine's thread to an off-hot-path module (regime detector, learner,
/// monitor) that sheds instead of making the engine wait or pay for the module's backlog.
///
/// Every `checkEvery` messages the tap reads the module's mailbox depth (one read of the
/// consumer's cache line per check, not per tick). From a depth of `watermark` it sheds:
/// messages are counted in `PipelineMetrics` (`shed[tap]`) and not sent, until the
/// module has worked its mailbox down to half the watermark. A module that cannot keep
/// pace with the tick rate thus sees a subsample of the stream (each message intact —
/// a one-tick return stays a one-tick return), and the engine pays a counter increment
/// per shed message instead of the mailbox's drop-oldest path (which pops and pushes on
/// the engine's thread).
public final class ModuleTap<Message: Sendable>: @unchecked Sendable {
    // @unchecked: `countdown` and `shedding` are read and written only by the engine's
    // thread (taps run there); the channel and the metrics are thread-safe for this use.

    @usableFromInline let channel: Channel<Message>
    @usableFromInline let tap: PipelineTap
    @usableFromInline let metrics: PipelineMetrics
    /// Mailbox depth from which messages are shed.
    public let watermark: Int
    /// Messages between two depth checks.
    public let checkEvery: Int
    @usableFromInline var countdown = 0
    @usableFromInline var shedding = false

    /// - Parameters:
    ///   - watermark: nil = min(512, capacity / 4) of the channel.
    ///   - checkEvery: messages between depth reads (≥ 1).
    public init(channel: Channel<Message>, tap: PipelineTap, metrics: PipelineMetrics, watermark: Int? = nil,
                checkEvery: Int = 16) {
        self.channel = channel
        self.tap = tap
        self.metrics = metrics
        self.watermark = max(2, watermark ?? min(512, channel.configuration.capacity / 4))
        self.checkEvery = max(1, checkEvery)
    }

    /// Sends `message` unless the module is behind (then counts it as shed).
    /// - Parameter wake: false for high-rate taps that wake the module only now and then
    ///   (`Channel.sendWithoutWaking`).
    /// - Returns: whether the message was handed to the mailbox.
    @inlinable
    @discardableResult
    public func send(_ message: Message, wake: Bool = true) -> Bool {
        guard admit() else { return false }
        return sendAdmitted(message, wake: wake)
    }

    /// Whether the module takes `count` more messages now; when it does not, they are
    /// counted as shed. Reads the mailbox depth every `checkEvery` calls.
    @inlinable
    public func admit(count: Int = 1) -> Bool {
        if countdown <= 0 {
            countdown = checkEvery
            let depth = channel.depth
            shedding = shedding ? depth > watermark / 2 : depth >= watermark
        }
        countdown -= 1
        if shedding { metrics.shed(tap, count: count) }
        return !shedding
    }

    /// Sends a message `admit()` let through (the others of a group of messages).
    @inlinable
    @discardableResult
    public func sendAdmitted(_ message: Message, wake: Bool = true) -> Bool {
        (wake ? channel.send(message) : channel.sendWithoutWaking(message)).isAccepted
    }
}
