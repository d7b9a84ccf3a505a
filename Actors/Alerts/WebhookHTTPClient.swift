// One HTTP/1.1 POST over a fresh connection (SwiftNIO ClientBootstrap + NIOHTTP1).

import NIOCore
import NIOHTTP1
import NIOPosix

/// Why a webhook delivery attempt failed.
public enum WebhookDeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete response within the request timeout.
    case timeout
    /// The connection closed before a complete response.
    case connectionClosed
    /// The receiver answered with a non-2xx status.
    case status(UInt)

    public var description: String {
        switch self {
        case .timeout: return "webhook receiver did not answer within the request timeout"
        case .connectionClosed: return "webhook receiver closed the connection before answering"
        case let .status(code): return "webhook receiver answered HTTP \(code)"
        }
    }
}

/// Posts one body and completes with the response status. Runs entirely on `eventLoop`.
enum WebhookHTTPClient {
    static func post(body: ByteBuffer, configuration: WebhookConfiguration, on eventLoop: any EventLoop) -> EventLoopFuture<UInt> {
        let promise = eventLoop.makePromise(of: UInt.self)
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: configuration.port == 80 ? configuration.host : "\(configuration.host):\(configuration.port)")
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        headers.add(name: "Connection", value: "close")
        headers.add(name: "User-Agent", value: "quantum-agent")
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: configuration.path, headers: headers)
        let timeout = eventLoop.scheduleTask(in: configuration.requestTimeout) {
            promise.fail(WebhookDeliveryError.timeout)
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        WebhookResponseHandler(head: head, body: body, promise: promise))
                }
            }
            .connect(host: configuration.host, port: configuration.port)
            .whenComplete { result in
                switch result {
                case let .failure(error):
                    promise.fail(error)
                case let .success(channel):
                    // Whatever completes the request (response, error, timeout) closes the connection.
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                }
            }
        return promise.futureResult
    }
}

/// Sends the request when the connection becomes active and completes the promise with the
/// response status at the end of the response.
final class WebhookResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: ByteBuffer
    private let promise: EventLoopPromise<UInt>
    private var status: UInt?

    init(head: HTTPRequestHead, body: ByteBuffer, promise: EventLoopPromise<UInt>) {
        self.head = head
        self.body = body
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(response):
            status = response.status.code
        case .body:
            break
        case .end:
            promise.succeed(status ?? 0)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(WebhookDeliveryError.connectionClosed)   // no-op if already completed
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
