import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

/// `jarvis accept` through real sockets, started by `systemd-socket-activate` as
/// jarvis-accept.socket starts it.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct AcceptCLITests {
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static var enabled: Bool { TestAcceptServer.isAvailable || required }

    let body = Array(SyntheticPayloads.group(first: 0, count: 3))

    func bearer(_ server: TestAcceptServer) -> String { "Authorization: Bearer \(server.token)" }

    func post(_ server: TestAcceptServer, _ raw: [UInt8]) throws -> HTTPResponse {
        let connection = try RawHTTPConnection(port: server.port)
        connection.send(raw)
        return try connection.response()
    }

    @Test(.enabled(if: enabled))
    func aWebhookIsSpooledIntactBeforeTheAnswer200() throws {
        let server = try TestAcceptServer()
        let response = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: body, headers: [bearer(server)]))
        #expect(response.status == 200, "\(server.log)")
        let files = try server.files("incoming")
        try #require(files.count == 1)
        #expect(String(decoding: response.body, as: UTF8.self) == "accepted as \(files[0])\n")
        #expect(FileManager.default.contents(atPath: server.spool + "/incoming/" + files[0]) == Data(body))
        #expect(try server.files("tmp").isEmpty)
    }

    @Test(.enabled(if: enabled))
    func basicAuthWithTheTokenAsPasswordIsAccepted() throws {
        let server = try TestAcceptServer()
        let credentials = Data("alertmanager:\(server.token)".utf8).base64EncodedString()
        let response = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: body, headers: ["Authorization: Basic \(credentials)"]))
        #expect(response.status == 200)
        #expect(try server.files("incoming").count == 1)
    }

    @Test(.enabled(if: enabled))
    func wrongPathMethodOrCredentialsWriteNothing() throws {
        let server = try TestAcceptServer()
        let wrongPath = try post(server, RawHTTPConnection.post("/webhook/other", body: body, headers: [bearer(server)]))
        #expect(wrongPath.status == 404)
        let get = try post(server, Array("GET /webhook/alertmanager HTTP/1.1\r\nHost: x\r\n\(bearer(server))\r\n\r\n".utf8))
        #expect(get.status == 405)
        #expect(get.header("allow") == "POST")
        let missing = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: body))
        #expect(missing.status == 401)
        #expect(missing.header("www-authenticate")?.hasPrefix("Bearer") == true)
        let wrong = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: body, headers: ["Authorization: Bearer \(server.token)x"]))
        #expect(wrong.status == 401)
        let wrongBasic = try post(
            server,
            RawHTTPConnection.post(
                "/webhook/alertmanager", body: body, headers: ["Authorization: Basic \(Data("u:nope".utf8).base64EncodedString())"]))
        #expect(wrongBasic.status == 401)
        #expect(try server.files("incoming").isEmpty)
        #expect(try server.files("rejected").isEmpty)
        #expect(try server.files("tmp").isEmpty)
    }

    @Test(.enabled(if: enabled))
    func aBodyOverTheLimitIsRefusedUnread() throws {
        let server = try TestAcceptServer()
        // Announce 2 MiB and send only the headers: the answer comes without the body.
        let connection = try RawHTTPConnection(port: server.port)
        connection.send("POST /webhook/alertmanager HTTP/1.1\r\nHost: x\r\n\(bearer(server))\r\nContent-Length: \(2 << 20)\r\n\r\n")
        let response = try connection.response()
        #expect(response.status == 413)
        #expect(try server.files("incoming").isEmpty)
    }

    @Test(.enabled(if: enabled), arguments: [(1 << 20) + 1, 5 << 20])
    func aChunkedBodyOverTheLimitIsAnswered413(size: Int) throws {
        let server = try TestAcceptServer()
        // Chunks of 64 KiB, the last one shorter, then the terminator; sending stops when the
        // server has closed the connection (it reads no further than the limit).
        let connection = try RawHTTPConnection(port: server.port)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var open = connection.send("POST /webhook/alertmanager HTTP/1.1\r\nHost: x\r\n\(bearer(server))\r\nTransfer-Encoding: chunked\r\n\r\n")
        var sent = 0
        while open && sent < size {
            let count = min(65536, size - sent)
            open = connection.send(String(count, radix: 16) + "\r\n" + String(repeating: "x", count: count) + "\r\n")
            sent += count
        }
        if open { connection.send("0\r\n\r\n") }
        let response = try connection.response()
        #expect(response.status == 413, "\(server.log)")
        #expect(String(decoding: response.body, as: UTF8.self) == "the body is over the 1048576-byte limit\n")
        #expect(response.header("connection")?.lowercased() == "close")
        #expect(connection.closedByServer(within: 5))
        #expect(try server.files("incoming").isEmpty)
        #expect(try server.files("tmp").isEmpty)
        #expect(try server.files("rejected").isEmpty)
        // The next request, on a new connection, is served.
        let next = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: body, headers: [bearer(server)]))
        #expect(next.status == 200)
        #expect(try server.files("incoming").count == 1)
    }

    @Test(.enabled(if: enabled))
    func aBodyThatIsNotAWebhookIsAnswered400AndKeptWithItsReason() throws {
        let server = try TestAcceptServer()
        let invalid = Array(#"{"receiver":"jarvis","alerts":[{"labels":{"alertname":42}}]}"#.utf8)
        let response = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: invalid, headers: [bearer(server)]))
        #expect(response.status == 400)
        let message = String(decoding: response.body, as: UTF8.self)
        #expect(message.hasPrefix("not an Alertmanager webhook: alerts[0]"), "\(message)")
        #expect(message.filter { $0 == "\n" }.count == 1)
        let rejected = try server.files("rejected")
        try #require(rejected.count == 2, "\(rejected)")
        #expect(FileManager.default.contents(atPath: server.spool + "/rejected/" + rejected[0]) == Data(invalid))
        #expect(rejected[1] == rejected[0] + ".reason")
        #expect(try server.files("incoming").isEmpty)

        let notJSON = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: Array("{truncated".utf8), headers: [bearer(server)]))
        #expect(notJSON.status == 400)
        #expect(try server.files("rejected").count == 4)
    }

    @Test(.enabled(if: enabled))
    func conflictingFramingIsRefusedSoNothingCanBeSmuggled() throws {
        let server = try TestAcceptServer()
        let smuggle = """
            POST /webhook/alertmanager HTTP/1.1\r
            Host: x\r
            \(bearer(server))\r
            Content-Length: 4\r
            Transfer-Encoding: chunked\r
            \r
            0\r
            \r
            POST /webhook/alertmanager HTTP/1.1\r
            Host: x\r
            \r

            """
        let connection = try RawHTTPConnection(port: server.port)
        connection.send(smuggle)
        let response = try connection.response()
        #expect(response.status == 400)
        #expect(connection.closedByServer(within: 5))
        let twoLengths = try post(
            server,
            Array("POST /webhook/alertmanager HTTP/1.1\r\nHost: x\r\n\(bearer(server))\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n{}}}".utf8))
        #expect(twoLengths.status == 400)
        #expect(try server.files("incoming").isEmpty)
    }

    @Test(.enabled(if: enabled))
    func severalBodiesOnOneKeepAliveConnection() throws {
        let server = try TestAcceptServer()
        let connection = try RawHTTPConnection(port: server.port)
        for n in 0..<5 {
            connection.send(
                RawHTTPConnection.post("/webhook/alertmanager", body: Array(SyntheticPayloads.group(first: n, count: 2)), headers: [bearer(server)]))
            let response = try connection.response()
            #expect(response.status == 200)
            #expect(response.header("connection")?.lowercased() != "close")
        }
        #expect(try server.files("incoming").count == 5)
    }

    @Test(.enabled(if: enabled))
    func aChunkedBodyIsSpooledDecoded() throws {
        let server = try TestAcceptServer()
        var raw = "POST /webhook/alertmanager HTTP/1.1\r\nHost: x\r\n\(bearer(server))\r\nTransfer-Encoding: chunked\r\n\r\n"
        var offset = 0
        while offset < body.count {
            let piece = body[offset..<min(body.count, offset + 100)]
            raw += String(piece.count, radix: 16) + "\r\n" + String(decoding: piece, as: UTF8.self) + "\r\n"
            offset += piece.count
        }
        raw += "0\r\n\r\n"
        let response = try post(server, Array(raw.utf8))
        #expect(response.status == 200, "\(server.log)")
        let files = try server.files("incoming")
        try #require(files.count == 1)
        #expect(FileManager.default.contents(atPath: server.spool + "/incoming/" + files[0]) == Data(body))
    }

    @Test(.enabled(if: enabled))
    func aHundredConcurrentClientsAreAllServed() throws {
        let server = try TestAcceptServer()
        let statuses = Statuses()
        DispatchQueue.concurrentPerform(iterations: 100) { n in
            let status = try? post(
                server,
                RawHTTPConnection.post("/webhook/alertmanager", body: Array(SyntheticPayloads.group(first: n, count: 2)), headers: [bearer(server)])
            ).status
            statuses.add(status ?? 0)
        }
        #expect(statuses.all.filter { $0 == 200 }.count == 100, "\(statuses.all) \(server.log)")
        #expect(try server.files("incoming").count == 100)
    }

    @Test(.enabled(if: enabled))
    func aClientTricklingItsHeadersIsCutOffWhileOthersAreServed() throws {
        let server = try TestAcceptServer(arguments: ["--header-timeout", "1"])
        let slow = try RawHTTPConnection(port: server.port)
        let started = Date()
        var closed = false
        var otherServed = false
        for byte in "POST /webhook/alertmanager HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8 where !closed {
            // One byte every 100 ms: never silent long enough for an inactivity timeout.
            closed = !slow.send([byte]) || slow.closedByServer(within: 0.1)
            // Meanwhile another client is served at once.
            if !otherServed && Date().timeIntervalSince(started) > 0.3 {
                let other = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: body, headers: [bearer(server)]))
                #expect(other.status == 200)
                otherServed = true
            }
        }
        #expect(closed || slow.closedByServer(within: 3))
        #expect(Date().timeIntervalSince(started) < 5)
        let deadline = Date().addingTimeInterval(3)
        while !server.log.contains("headers did not arrive within 1s") && Date() < deadline { usleep(20_000) }
        #expect(server.log.contains("headers did not arrive within 1s"), "\(server.log)")
        #expect(try server.files("incoming").count == 1)
    }

    @Test(.enabled(if: enabled))
    func aBodyCutMidwayWritesNothing() throws {
        let server = try TestAcceptServer()
        do {
            let connection = try RawHTTPConnection(port: server.port)
            let raw = RawHTTPConnection.post("/webhook/alertmanager", body: body, headers: [bearer(server)])
            connection.send(Array(raw[..<(raw.count - body.count / 2)]))
            usleep(200_000)
        }  // closed here
        usleep(300_000)
        #expect(try server.files("incoming").isEmpty)
        #expect(try server.files("tmp").isEmpty)
        #expect(try server.files("rejected").isEmpty)
        // The server is unharmed.
        #expect(try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: body, headers: [bearer(server)])).status == 200)
    }

    @Test(.enabled(if: enabled))
    func aFullDiskAnswers503AndLeavesNothingBehind() throws {
        let server = try TestAcceptServer()
        // The spool on a 64 KiB file system, filled up.
        try FileManager.default.createDirectory(atPath: server.spool, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", server.spool]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mount needs root")
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [server.spool]
            try? umount.run()
            umount.waitUntilExit()
        }
        for folder in ["incoming", "processing", "rejected", "tmp"] {
            try FileManager.default.createDirectory(atPath: server.spool + "/" + folder, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: server.spool + "/filler", contents: Data(count: 60 * 1024))
        let big = Array(SyntheticPayloads.group(first: 0, count: 40))
        let response = try post(server, RawHTTPConnection.post("/webhook/alertmanager", body: big, headers: [bearer(server)]))
        #expect(response.status == 503)
        #expect(String(decoding: response.body, as: UTF8.self).contains("disk is full"))
        #expect(try server.files("incoming").isEmpty)
        #expect(try server.files("tmp").isEmpty)
    }

    @Test(.enabled(if: enabled))
    func oneProcessPerConnectionServesKeepAliveToo() throws {
        let server = try TestAcceptServer(perConnection: true)
        let connection = try RawHTTPConnection(port: server.port)
        for n in 0..<3 {
            connection.send(
                RawHTTPConnection.post("/webhook/alertmanager", body: Array(SyntheticPayloads.group(first: n, count: 2)), headers: [bearer(server)]))
            #expect(try connection.response().status == 200, "\(server.log)")
        }
        #expect(try server.files("incoming").count == 3)
    }

    @Test(.enabled(if: enabled))
    func killedMidWriteLeavesOnlyCompleteFilesInIncoming() throws {
        let server = try TestAcceptServer()
        let big = Array(SyntheticPayloads.group(first: 0, count: 400, annotationSize: 1500))
        let group = DispatchGroup()
        for _ in 0..<8 {
            DispatchQueue.global().async(group: group) {
                guard let connection = try? RawHTTPConnection(port: server.port) else { return }
                for _ in 0..<20 {
                    guard connection.send(RawHTTPConnection.post("/webhook/alertmanager", body: big, headers: [self.bearer(server)])),
                        (try? connection.response(timeout: 5)) != nil
                    else { return }
                }
            }
        }
        // Killed once the first body is whole, with the other posts still being written.
        let deadline = Date().addingTimeInterval(30)
        while (try? server.files("incoming"))?.isEmpty ?? true, Date() < deadline { usleep(10_000) }
        server.kill()
        group.wait()
        let incoming = try server.files("incoming")
        #expect(!incoming.isEmpty, "no body was whole before the kill: \(server.log)")
        #expect(incoming.count < 8 * 20, "every post was written before the kill")
        for name in incoming {
            #expect(FileManager.default.contents(atPath: server.spool + "/incoming/" + name) == Data(big), "\(name) is not the whole body")
        }
        // What was cut off stays in tmp/, which ingest never reads; incoming holds whole files only.
        #expect(try server.files("tmp").allSatisfy { $0.hasSuffix(".part") })
    }

    @Test
    func withoutASocketOrATokenItRefusesToStart() throws {
        let dir = try TemporaryDirectory()
        let noSocket = try JarvisProcess.run(["accept"], environment: ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state")])
        #expect(noSocket.exitCode == 78)
        #expect(noSocket.stderr.contains("no socket from systemd"), "\(noSocket.stderr)")
        if Self.enabled {
            let server = try TestAcceptServer(token: false)
            _ = try? post(server, RawHTTPConnection.post("/webhook/alertmanager", body: body))
            let deadline = Date().addingTimeInterval(5)
            while !server.log.contains("accept_token: no credential") && Date() < deadline { usleep(20_000) }
            #expect(server.log.contains("accept_token: no credential"), "\(server.log)")
        }
    }
}

/// Statuses collected from concurrent clients.
final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    func add(_ status: Int) {
        lock.lock()
        values.append(status)
        lock.unlock()
    }
    var all: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
