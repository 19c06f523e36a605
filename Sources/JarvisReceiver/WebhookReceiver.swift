internal import CMicroHTTPDLazy
import Foundation
import JarvisCore
import JarvisSpool

#if canImport(Glibc)
    import Glibc
#endif

/// Limits for `jarvis accept`'s connections.
public struct ReceiverSettings: Sendable {
    /// Seconds a connection may take to send a request's headers, counted from the moment it
    /// opened or its previous response went out (so it also bounds an idle keep-alive) [10].
    public var headerTimeout: Double = 10
    /// Seconds a request may take to send its body once its headers are in [30].
    public var bodyTimeout: Double = 30
    /// Connections served at once; more wait in the kernel's queue [64].
    public var maxConnections = 64
    /// On a listening socket: exit after this many seconds without a connection (systemd
    /// starts the service again on the next one); 0 serves until stopped [60].
    public var idleExit: Double = 60

    public init() {}
}

/// Why `accept` could not serve.
public struct ReceiverError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What one `serve` did, for the run log.
public struct ReceiverSummary: Sendable, Equatable {
    public var connections = 0
    public var spooled = 0
    public var rejected = 0
    /// Answered 4xx/5xx without keeping anything (404, 405, 401, 413, 503…).
    public var refused = 0
    public var timedOut = 0
}

/// Serves Alertmanager webhooks on a socket systemd handed over: parses HTTP with
/// libmicrohttpd (keep-alive, chunked bodies, 100-continue), decides with `WebhookIntake`,
/// and writes each accepted body to the spool exactly as `jarvis enqueue` does before
/// answering 200.
///
/// Slow clients: libmicrohttpd closes a connection silent for longer than the larger
/// timeout, and a watchdog shuts down one whose headers or body are not complete in time
/// however slowly it trickles bytes; the others are served meanwhile (one thread each).
public final class WebhookReceiver: @unchecked Sendable {
    let intake: WebhookIntake
    let spool: SpoolDirectory
    let settings: ReceiverSettings
    /// Receives one line per event worth logging; `warning` true for problems.
    let log: @Sendable (_ warning: Bool, _ message: String) -> Void

    private let lock = NSLock()
    private let decoding = NSLock()
    private var connections: [UInt: Tracked] = [:]
    private var lastActivity = monotonicSeconds()
    private var summary = ReceiverSummary()

    private struct Tracked {
        var fd: Int32
        /// When the current deadline started: connection opened, response sent, or headers in.
        var since: Double
        var readingBody = false
        var shutDown = false
    }

    public init(intake: WebhookIntake, spool: SpoolDirectory, settings: ReceiverSettings, log: @escaping @Sendable (Bool, String) -> Void) {
        self.intake = intake
        self.spool = spool
        self.settings = settings
        self.log = log
    }

    /// Serves `fd` until `shouldStop` returns true, the idle time passes (listening socket),
    /// or the connection closes (a connected socket, systemd's `Accept=yes`).
    public func serve(fd: Int32, shouldStop: () -> Bool) throws(ReceiverError) -> ReceiverSummary {
        var loadError: UnsafePointer<CChar>?
        guard jarvis_libmicrohttpd_load(&loadError) == 0 else {
            throw ReceiverError("cannot load libmicrohttpd (\(loadError.map { String(cString: $0) } ?? "unknown error")); install libmicrohttpd12")
        }
        var listening: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 else {
            throw ReceiverError("file descriptor \(fd) is not a socket (\(String(cString: strerror(errno))))")
        }
        // Two malloc arenas, not one per connection thread: the peak RSS stays flat with 32+
        // clients.
        jarvis_malloc_arena_max(2)
        let context = Unmanaged.passUnretained(self).toOpaque()
        var options = jarvis_mhd_settings(
            listen_fd: listening != 0 ? fd : -1, connection_limit: UInt32(settings.maxConnections),
            connection_timeout: UInt32(max(1, settings.headerTimeout, settings.bodyTimeout).rounded(.up)),
            memory_limit: 32 * 1024, notify_connection: receiverConnectionEvent, notify_completed: receiverRequestCompleted,
            callback_context: context)
        var flags = UInt32(MHD_USE_AUTO_INTERNAL_THREAD.rawValue) | UInt32(MHD_USE_ITC.rawValue)
        if listening != 0 {
            // One thread per connection: a body's fsyncs never hold up another client.
            flags |= UInt32(MHD_USE_THREAD_PER_CONNECTION.rawValue)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        } else {
            flags |= UInt32(MHD_USE_NO_LISTEN_SOCKET.rawValue)
        }
        guard let daemon = jarvis_mhd_start(flags, receiverAccess, context, &options) else {
            throw ReceiverError("libmicrohttpd could not start on file descriptor \(fd)")
        }
        if listening == 0 {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                getpeername(fd, UnsafeMutableRawPointer($0).assumingMemoryBound(to: sockaddr.self), &length)
            }
            let added = withUnsafePointer(to: &address) {
                MHD_add_connection(daemon, fd, UnsafeRawPointer($0).assumingMemoryBound(to: sockaddr.self), length)
            }
            guard added == .YES else {
                MHD_stop_daemon(daemon)
                throw ReceiverError("libmicrohttpd refused the connection on file descriptor \(fd)")
            }
        }
        let started = monotonicSeconds()
        while !shouldStop() {
            usleep(50_000)
            let (open, idle) = watch()
            // A connected socket: done once libmicrohttpd has taken it (on its own thread) and
            // closed it, or if it never took it.
            if listening == 0 && open == 0 && (connectionsSeen() > 0 || monotonicSeconds() - started > settings.headerTimeout) { break }
            if listening != 0 && settings.idleExit > 0 && open == 0 && idle >= settings.idleExit { break }
        }
        if listening != 0 {
            // Accept nothing new (systemd keeps the socket and queues), let requests being
            // read finish, then close what is left (idle keep-alives).
            _ = MHD_quiesce_daemon(daemon)
            let until = monotonicSeconds() + settings.bodyTimeout
            while monotonicSeconds() < until && busy() { usleep(20_000) }
        }
        MHD_stop_daemon(daemon)
        lock.lock()
        defer { lock.unlock() }
        return summary
    }

    /// Enforces the header and body deadlines; returns the open connections and the seconds
    /// since the last one closed or finished a request.
    private func watch() -> (open: Int, idle: Double) {
        let now = monotonicSeconds()
        lock.lock()
        defer { lock.unlock() }
        for (key, var tracked) in connections where !tracked.shutDown {
            let limit = tracked.readingBody ? settings.bodyTimeout : settings.headerTimeout
            guard now - tracked.since > limit else { continue }
            // The fd is still MHD's: it is closed only after the CLOSED notification, which
            // takes this lock to remove the entry.
            shutdown(tracked.fd, Int32(SHUT_RDWR))
            tracked.shutDown = true
            connections[key] = tracked
            summary.timedOut += 1
            log(true, "closed a connection: its \(tracked.readingBody ? "body" : "headers") did not arrive within \(String(format: "%g", limit))s")
        }
        return (connections.count, now - lastActivity)
    }

    private func connectionsSeen() -> Int {
        lock.lock()
        defer { lock.unlock() }
        return summary.connections
    }

    private func busy() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return connections.values.contains { $0.readingBody && !$0.shutDown }
    }

    fileprivate func connectionEvent(_ connection: OpaquePointer, started: Bool) {
        let key = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection)))
        let fd = started ? jarvis_mhd_connection_fd(connection) : -1
        lock.lock()
        defer { lock.unlock() }
        if started {
            connections[key] = Tracked(fd: fd, since: monotonicSeconds())
            summary.connections += 1
        } else {
            connections[key] = nil
        }
        lastActivity = monotonicSeconds()
    }

    /// Headers in, or the response sent: the next deadline starts now.
    fileprivate func phase(_ connection: OpaquePointer, readingBody: Bool) {
        let key = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection)))
        lock.lock()
        defer { lock.unlock() }
        connections[key]?.since = monotonicSeconds()
        connections[key]?.readingBody = readingBody
        lastActivity = monotonicSeconds()
    }

    /// The answer to a complete body: spooled (200), kept in `rejected/` (400), or nothing
    /// written (503: the client retries).
    fileprivate func finish(_ body: [UInt8]) -> WebhookIntake.Answer {
        let answer: WebhookIntake.Answer
        var outcome: WritableKeyPath<ReceiverSummary, Int> = \.refused
        // Decoding a body takes about 0.1 ms and its transient objects are the largest
        // allocation of a request: one decode at a time keeps the peak RSS flat under many
        // clients, while their writes and fsyncs still overlap.
        decoding.lock()
        let problem = intake.checkBody(body)
        decoding.unlock()
        if let reason = problem {
            do {
                let name = try spool.rejectPayload(body, reason: reason)
                log(true, "rejected a body (kept as \(spool.rejected)/\(name)): \(reason)")
                answer = WebhookIntake.Answer(400, "not an Alertmanager webhook: \(reason)")
                outcome = \.rejected
            } catch {
                answer = unavailable(error)
            }
        } else {
            do {
                let name = try spool.enqueue(body)
                answer = WebhookIntake.Answer(200, "accepted as \(name)")
                outcome = \.spooled
            } catch {
                answer = unavailable(error)
            }
        }
        lock.lock()
        summary[keyPath: outcome] += 1
        lock.unlock()
        return answer
    }

    private func unavailable(_ error: any Error) -> WebhookIntake.Answer {
        log(true, "spool: \(error)")
        let full = (error as? SpoolError)?.isNoSpace == true
        return WebhookIntake.Answer(503, full ? "the spool's disk is full: try again later" : "the spool cannot be written: try again later")
    }

    fileprivate func refused() {
        lock.lock()
        summary.refused += 1
        lock.unlock()
    }
}

/// One request's state, kept in libmicrohttpd's per-request pointer.
private final class RequestState {
    var body: [UInt8] = []
    /// Set once an answer was queued: the rest of the body is not kept.
    var answered = false
}

private func receiver(_ context: UnsafeMutableRawPointer?) -> WebhookReceiver {
    Unmanaged<WebhookReceiver>.fromOpaque(context!).takeUnretainedValue()
}

private func receiverConnectionEvent(
    _ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ event: MHD_ConnectionNotificationCode
) {
    guard let connection else { return }
    receiver(context).connectionEvent(connection, started: event.rawValue == 0)  // 0: MHD_CONNECTION_NOTIFY_STARTED
}

private func receiverRequestCompleted(
    _ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ code: MHD_RequestTerminationCode
) {
    if let pointer = requestContext?.pointee {
        Unmanaged<RequestState>.fromOpaque(pointer).release()
        requestContext?.pointee = nil
    }
    if let connection { receiver(context).phase(connection, readingBody: false) }
}

private func receiverAccess(
    _ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ method: UnsafePointer<CChar>?,
    _ version: UnsafePointer<CChar>?, _ uploadData: UnsafePointer<CChar>?, _ uploadSize: UnsafeMutablePointer<Int>?,
    _ requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let connection, let uploadSize, let requestContext else { return .NO }
    let server = receiver(context)
    guard let pointer = requestContext.pointee else {
        // First call: the headers are in, no body byte has been read.
        let state = RequestState()
        requestContext.pointee = Unmanaged.passRetained(state).toOpaque()
        server.phase(connection, readingBody: true)
        var headers: [HTTPHeader] = []
        // A pointer to the array itself (a bare `&headers` would point at its elements).
        _ = withUnsafeMutablePointer(to: &headers) { MHD_get_connection_values(connection, .HEADER_KIND, collectHeader, $0) }
        let verdict = server.intake.checkHeaders(
            method: method.map { String(cString: $0) } ?? "", target: url.map { String(cString: $0) } ?? "", headers: headers)
        guard case .answer(let answer) = verdict else {
            if let length = headers.first(where: { $0.name.lowercased() == "content-length" }).flatMap({ Int($0.value) }) {
                state.body.reserveCapacity(min(length, server.intake.maxBodySize))
            }
            return .YES
        }
        state.answered = true
        server.refused()
        return respond(connection, answer)
    }
    let state = Unmanaged<RequestState>.fromOpaque(pointer).takeUnretainedValue()
    let count = uploadSize.pointee
    if count > 0 {
        uploadSize.pointee = 0
        if state.answered { return .YES }
        if state.body.count + count > server.intake.maxBodySize {
            // A chunked body that grew past the limit: answer 413 and read no further.
            // libmicrohttpd (0.9.75, Debian 12) queues a response only before the body or after
            // all of it, so the answer is written on the socket here, and returning NO closes
            // the connection; the client reads the answer before the reset that follows.
            state.answered = true
            state.body = []
            server.refused()
            answerTooLargeAndClose(jarvis_mhd_connection_fd(connection), server.intake.tooLarge)
            return .NO
        }
        state.body.append(contentsOf: UnsafeRawBufferPointer(start: uploadData, count: count))
        return .YES
    }
    if state.answered { return .YES }
    state.answered = true
    let answer = server.finish(state.body)
    state.body = []
    return respond(connection, answer)
}

private func collectHeader(
    _ context: UnsafeMutableRawPointer?, _ kind: MHD_ValueKind, _ key: UnsafePointer<CChar>?, _ value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let context, let key else { return .YES }
    context.assumingMemoryBound(to: [HTTPHeader].self).pointee.append(HTTPHeader(String(cString: key), value.map { String(cString: $0) } ?? ""))
    return .YES
}

private func respond(_ connection: OpaquePointer, _ answer: WebhookIntake.Answer) -> MHD_Result {
    var text = Array((answer.message + "\n").utf8)
    guard let response = MHD_create_response_from_buffer(text.count, &text, MHD_ResponseMemoryMode(rawValue: 2)!) else {  // 2: MHD_RESPMEM_MUST_COPY
        return .NO
    }
    defer { MHD_destroy_response(response) }
    _ = MHD_add_response_header(response, "Content-Type", "text/plain; charset=utf-8")
    for header in answer.headers { _ = MHD_add_response_header(response, header.name, header.value) }
    return MHD_queue_response(connection, UInt32(answer.status), response)
}

/// Writes the 413 `answer` as a complete HTTP/1.1 response with `Connection: close` on `fd`
/// (waiting at most a second for room in the socket's buffer), for a connection about to be
/// closed, and ends the sending side.
private func answerTooLargeAndClose(_ fd: Int32, _ answer: WebhookIntake.Answer) {
    guard fd >= 0 else { return }
    let body = answer.message + "\n"
    let head = "HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
    let bytes = Array((head + "Connection: close\r\n\r\n" + body).utf8)
    let deadline = monotonicSeconds() + 1
    var sent = 0
    while sent < bytes.count && monotonicSeconds() < deadline {
        let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n > 0 {
            sent += n
        } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, 100)
        } else {
            return
        }
    }
    _ = shutdown(fd, Int32(SHUT_WR))
}

private func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
