import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

// The measured path of `jarvis accept`, on NIOHTTP1 instead of libmicrohttpd: the listening
// socket systemd hands over (LISTEN_FDS), POST to /webhook/alertmanager with the bearer token
// of $CREDENTIALS_DIRECTORY/accept_token (compared in constant time), a 1 MiB limit (413, read
// no further), and each body written durably into $JARVIS_SPOOL_DIR/incoming (temp file, fsync,
// rename, fsync of the folder) before 200. Not here: basic auth, the webhook's validation and
// `rejected/`, slow-client timeouts and the connection cap, the idle exit.

func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

func fail(_ message: String, _ status: Int32) -> Never {
    fputs("nio-accept: \(message)\n", stderr)
    exit(status)
}

guard environment("LISTEN_FDS") == "1", environment("LISTEN_PID").flatMap(Int32.init) == getpid() else {
    fail("no socket from systemd (LISTEN_FDS/LISTEN_PID)", 78)
}
guard let credentials = environment("CREDENTIALS_DIRECTORY"), let file = fopen(credentials + "/accept_token", "r") else {
    fail("accept_token: no credential", 78)
}
var tokenBytes: [UInt8] = []
var readBuffer = [UInt8](repeating: 0, count: 4096)
while true {
    let n = fread(&readBuffer, 1, readBuffer.count, file)
    if n <= 0 { break }
    tokenBytes += readBuffer[0..<n]
}
fclose(file)
while let last = tokenBytes.last, last == 10 || last == 13 || last == 32 { tokenBytes.removeLast() }
let expectedAuthorization = Array("Bearer ".utf8) + tokenBytes
let spool = environment("JARVIS_SPOOL_DIR") ?? "spool"
for folder in [spool, spool + "/tmp", spool + "/incoming"] { mkdir(folder, 0o700) }
let limit = 1 << 20
let path = "/webhook/alertmanager"
let counter = NIOLockedValueBox(0)

/// Constant time for equal lengths.
func authorised(_ header: String?) -> Bool {
    guard let header else { return false }
    let given = Array(header.utf8)
    guard given.count == expectedAuthorization.count else { return false }
    var difference: UInt8 = 0
    for (a, b) in zip(given, expectedAuthorization) { difference |= a ^ b }
    return difference == 0
}

/// Writes `body` into incoming/ as `jarvis enqueue` does; the file's name.
func spoolBody(_ body: ByteBuffer) -> String? {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let n = counter.withLockedValue { value -> Int in
        value += 1
        return value
    }
    let name = "\(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))-\(getpid())-\(n).json"
    let temp = spool + "/tmp/" + name + ".part"
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return nil }
    let written = body.withUnsafeReadableBytes { bytes -> Bool in
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
    guard written, fsync(fd) == 0, close(fd) == 0, rename(temp, spool + "/incoming/" + name) == 0 else {
        unlink(temp)
        return nil
    }
    let folder = open(spool + "/incoming", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    defer { close(folder) }
    guard folder >= 0, fsync(folder) == 0 else { return nil }
    return name
}

final class WebhookHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let files: NIOThreadPool
    var body: ByteBuffer?
    var keepAlive = true

    init(files: NIOThreadPool) { self.files = files }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            body = nil
            let length = head.headers["content-length"].first.flatMap { Int($0) }
            if head.uri != path {
                respond(context, .notFound, "no such path")
            } else if head.method != .POST {
                respond(context, .methodNotAllowed, "only POST")
            } else if !authorised(head.headers["authorization"].first) {
                respond(context, .unauthorized, "a bearer token is required")
            } else if let length, length > limit {
                respond(context, .payloadTooLarge, "the body is over the \(limit)-byte limit", close: true)
            } else {
                body = context.channel.allocator.buffer(capacity: min(length ?? 0, limit))
            }
        case .body(var chunk):
            guard body != nil else { return }
            if body!.readableBytes + chunk.readableBytes > limit {
                body = nil
                respond(context, .payloadTooLarge, "the body is over the \(limit)-byte limit", close: true)
                return
            }
            body!.writeBuffer(&chunk)
        case .end:
            guard let complete = body else { return }
            body = nil
            // The write and its fsyncs block: on the thread pool, not the event loop.
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            files.runIfActive(eventLoop: context.eventLoop) { spoolBody(complete) }.whenComplete { result in
                let context = loopBound.value
                if case .success(let name?) = result {
                    self.respond(context, .ok, "accepted as \(name)")
                } else {
                    self.respond(context, .serviceUnavailable, "the spool cannot be written: try again later")
                }
            }
        }
    }

    func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ message: String, close: Bool = false) {
        let text = message + "\n"
        var headers = HTTPHeaders([("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(text.utf8.count))])
        let closing = close || !keepAlive
        if closing { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if closing { done.whenComplete { _ in context.close(promise: nil) } }
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
// As many file writers as jarvis accept has connection threads under the benchmark's load.
let files = NIOThreadPool(numberOfThreads: 32)
files.start()
let server = try ServerBootstrap(group: group)
    .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
            channel.pipeline.addHandler(WebhookHandler(files: files))
        }
    }
    .childChannelOption(.allowRemoteHalfClosure, value: false)
    .withBoundSocket(3)
    .wait()
try server.closeFuture.wait()
