import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) whose behaviour the test
/// switches at run time: answer 200, answer 500 a number of times, or hang (read the request
/// and never answer).
final class TestHTTPReceiver: Sendable {
    enum Mode: Sendable, Equatable {
        case ok
        case fail(remaining: Int)
        case failForever
        case hang
    }

    struct Request: Sendable {
        var body: String
        var status: UInt?     // nil = not answered (hung)
    }

    struct State: Sendable {
        var mode: Mode = .ok
        var requests: [Request] = []
    }

    let state = NIOLockedValueBox(State())
    private let channel: any Channel
    let port: Int

    init(group: any EventLoopGroup) async throws {
        let state = self.state
        channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(ReceiverHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/alerts" }

    func setMode(_ mode: Mode) { state.withLockedValue { $0.mode = mode } }
    var requests: [Request] { state.withLockedValue { $0.requests } }
    var answeredOK: [String] { requests.filter { $0.status == 200 }.map(\.body) }

    func close() async throws { try await channel.close() }
}

private final class ReceiverHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let state: NIOLockedValueBox<TestHTTPReceiver.State>
    var body = ""

    init(state: NIOLockedValueBox<TestHTTPReceiver.State>) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body = ""
        case var .body(buffer):
            body += buffer.readString(length: buffer.readableBytes) ?? ""
        case .end:
            let body = self.body
            let status: UInt? = state.withLockedValue { s in
                let status: UInt?
                switch s.mode {
                case .ok: status = 200
                case .hang: status = nil
                case .failForever: status = 500
                case let .fail(remaining):
                    status = remaining > 0 ? 500 : 200
                    s.mode = remaining > 1 ? .fail(remaining: remaining - 1) : .ok
                }
                s.requests.append(TestHTTPReceiver.Request(body: body, status: status))
                return status
            }
            guard let status else { return }   // hang: never answer
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "2")
            headers.add(name: "Connection", value: "close")
            let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: Int(status)), headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: 2)
            buffer.writeString("ok")
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass (a generous deadline for
/// asynchronous delivery, not a performance assertion). Returns whether it held.
func eventually(within seconds: Double = 20, _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
