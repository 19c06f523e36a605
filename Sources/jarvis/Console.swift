import Foundation
import JarvisCore

/// Output for people (stdout) and for logs (stderr, with journald priority prefixes when
/// running under systemd, so `journalctl -p warning` works).
enum Console {
    /// True when stderr is a terminal: show progress there.
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    /// systemd sets JOURNAL_STREAM when stderr goes to the journal.
    static let underJournald = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
    nonisolated(unsafe) static var verbose = false

    enum Priority: Int {
        case error = 3
        case warning = 4
        case notice = 5
        case info = 6
        case debug = 7
        var word: String {
            switch self {
            case .error: "error"
            case .warning: "warning"
            case .notice: "notice"
            case .info: "info"
            case .debug: "debug"
            }
        }
    }

    static func log(_ priority: Priority, _ message: String) {
        if priority == .debug && !verbose { return }
        let line = underJournald ? "<\(priority.rawValue)>\(message)\n" : "jarvis: \(priority.word): \(message)\n"
        clearProgress()
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func print(_ text: String) {
        clearProgress()
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    nonisolated(unsafe) private static var progressShown = false
    nonisolated(unsafe) private static var lastProgress = 0.0

    /// A one-line progress indicator on a terminal; nothing otherwise. Throttled to 10/s.
    static func progress(_ label: String, _ done: Int, _ total: Int) {
        guard stderrIsTerminal else { return }
        let now = Date().timeIntervalSince1970
        guard done == total || now - lastProgress > 0.1 else { return }
        lastProgress = now
        let percent = total > 0 ? done * 100 / total : 100
        FileHandle.standardError.write(Data("\r\(label) \(done)/\(total) (\(percent)%)\u{1B}[K".utf8))
        progressShown = true
    }

    static func clearProgress() {
        guard progressShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        progressShown = false
    }
}

/// SIGTERM (systemd stop) and SIGINT ask long runs to finish the current unit of work,
/// commit it and exit.
enum StopSignal {
    nonisolated(unsafe) private static var requested: sig_atomic_t = 0

    static func install() {
        signal(SIGTERM) { _ in StopSignal.requested = 1 }
        signal(SIGINT) { _ in StopSignal.requested = 1 }
        // A blocked signal mask is inherited: a parent that spawned jarvis from a thread that
        // blocks signals (a Dispatch worker does) would leave SIGTERM pending for ever.
        var stops = sigset_t()
        sigemptyset(&stops)
        sigaddset(&stops, SIGTERM)
        sigaddset(&stops, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
    }

    static var isRequested: Bool { requested != 0 }
}

extension Timestamp {
    /// The wall clock now.
    static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
    }

    /// "3m12s ago"-style age relative to `now`.
    func age(now: Timestamp) -> String {
        let seconds = Int(now.seconds(since: self))
        if seconds < 60 { return "\(max(0, seconds))s" }
        if seconds < 3600 { return "\(seconds / 60)m\(seconds % 60)s" }
        if seconds < 86_400 { return "\(seconds / 3600)h\(seconds % 3600 / 60)m" }
        return "\(seconds / 86_400)d\(seconds % 86_400 / 3600)h"
    }
}
