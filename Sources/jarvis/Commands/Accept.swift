import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisReceiver

struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Receive Alertmanager webhooks on a socket from systemd and spool them durably.",
        discussion: """
            Run by jarvis-accept.socket (or `systemd-socket-activate`), never by hand: the \
            listening socket arrives as file descriptor 3 (LISTEN_FDS/LISTEN_PID). One process \
            serves every connection, HTTP/1.1 with keep-alive, and exits after --idle-exit \
            seconds without one; systemd starts it again on the next. A connected socket \
            (Accept=yes) is served too, one process per connection.

            Only `POST --path` is accepted, with `Authorization: Bearer TOKEN` (or Basic auth \
            with TOKEN as password); TOKEN is read from $CREDENTIALS_DIRECTORY/accept_token \
            (jarvis-accept.service loads it from /etc/credstore/jarvis.accept_token), never from the command line. \
            A body is written to the spool like `jarvis enqueue` does (temp file, fsync, rename, \
            fsync) before the answer 200. Answers: 404 other path, 405 other method, 401 no or \
            wrong credentials, 413 body over 1 MiB, 400 not an Alertmanager webhook (the body is \
            kept in SPOOL/rejected with a .reason file), 503 the spool cannot be written \
            (Alertmanager retries). In Alertmanager:

              receivers:
                - name: jarvis
                  webhook_configs:
                    - url: http://127.0.0.1:9095/webhook/alertmanager
                      send_resolved: true
                      http_config:
                        authorization:
                          credentials_file: /etc/alertmanager/jarvis_token
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: ArgumentHelp("The path webhooks are posted to.", valueName: "path"))
    var path = "/webhook/alertmanager"

    @Option(help: ArgumentHelp("Exit after this many seconds without a connection (0: never).", valueName: "seconds"))
    var idleExit: Double = 60

    @Option(help: ArgumentHelp("Seconds a connection may take to send a request's headers (also the keep-alive idle limit).", valueName: "seconds"))
    var headerTimeout: Double = 10

    @Option(help: ArgumentHelp("Seconds a request may take to send its body.", valueName: "seconds"))
    var bodyTimeout: Double = 30

    @Option(help: ArgumentHelp("Connections served at once; more wait in the socket's queue.", valueName: "count"))
    var maxConnections = 64

    func validate() throws {
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /") }
        guard idleExit >= 0, headerTimeout > 0, bodyTimeout > 0 else { throw ValidationError("timeouts must be positive") }
        guard (1...10_000).contains(maxConnections) else { throw ValidationError("--max-connections must be between 1 and 10000") }
    }

    func run() throws {
        RunContext.execute("accept", options) { context in
            let fd = try SocketActivation.listenFD()
            guard let token = context.configuration.acceptToken?.value else {
                throw ReceiverError(
                    "accept_token: no credential ($CREDENTIALS_DIRECTORY/accept_token): put the token in /etc/credstore/jarvis.accept_token, which jarvis-accept.service loads"
                )
            }
            var settings = ReceiverSettings()
            settings.idleExit = idleExit
            settings.headerTimeout = headerTimeout
            settings.bodyTimeout = bodyTimeout
            settings.maxConnections = maxConnections
            let receiver = WebhookReceiver(
                intake: WebhookIntake(path: path, token: token, maxBodySize: context.configuration.ingest.maxFileSize),
                spool: try context.openSpool(), settings: settings,
                log: { warning, message in Console.log(warning ? .warning : .info, message) })
            let summary = try receiver.serve(fd: fd, shouldStop: { StopSignal.isRequested })
            return .ok(
                "\(summary.connections) connection\(summary.connections == 1 ? "" : "s"): \(summary.spooled) spooled, "
                    + "\(summary.rejected) rejected, \(summary.refused) refused, \(summary.timedOut) timed out")
        }
    }
}

/// systemd's socket activation protocol (sd_listen_fds): the sockets start at fd 3.
enum SocketActivation {
    static func listenFD(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int32 {
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
            let count = environment["LISTEN_FDS"].flatMap(Int.init), count >= 1
        else {
            throw ReceiverError(
                "no socket from systemd (LISTEN_FDS/LISTEN_PID): start jarvis-accept.socket, or test with systemd-socket-activate -l 127.0.0.1:9095 jarvis accept"
            )
        }
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        _ = fcntl(3, F_SETFD, FD_CLOEXEC)
        return 3
    }
}
