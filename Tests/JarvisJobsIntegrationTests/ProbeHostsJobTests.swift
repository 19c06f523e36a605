import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisTestSupport
import Testing

/// ProbeHostsJob on scripted checks and a manual wall clock; the real network is covered by
/// HostsCLITests through the binary.
@Suite struct ProbeHostsJobTests {
    /// A wall clock the test moves.
    final class ManualNow: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Timestamp
        init(_ start: Timestamp) { value = start }
        var now: Timestamp { lock.withLock { value } }
        func advance(_ seconds: Double) { lock.withLock { value = value.adding(seconds: seconds) } }
    }

    /// Scripted answers per host, and a log of what was asked.
    final class Script: @unchecked Sendable {
        private let lock = NSLock()
        var answering: Set<String> = []
        var sessionOK: Set<String> = []
        private(set) var probed: [String] = []
        private(set) var sessions: [String] = []

        func setAnswering(_ hosts: Set<String>) { lock.withLock { answering = hosts } }
        func setSessionOK(_ hosts: Set<String>) { lock.withLock { sessionOK = hosts } }
        func reset() {
            lock.withLock {
                probed = []
                sessions = []
            }
        }
        var probedHosts: [String] { lock.withLock { probed.sorted() } }
        var sessionHosts: [String] { lock.withLock { sessions.sorted() } }

        var checks: HostChecks {
            HostChecks(
                probe: { host, _ in
                    let answers = self.lock.withLock { () -> Bool in
                        self.probed.append(host.name)
                        return self.answering.contains(host.name)
                    }
                    return answers ? .answered(banner: "SSH-2.0-Fake") : .probeFailed("probe: connection refused")
                },
                session: { host in
                    let ok = self.lock.withLock { () -> Bool in
                        self.sessions.append(host.name)
                        return self.sessionOK.contains(host.name)
                    }
                    return ok ? .sessionSucceeded(banner: nil, exitStatus: 0) : .sessionFailed("SSH hostKeyMismatch for host \(host.name)")
                },
                local: { _ in .localSucceeded(exitStatus: 0) })
        }
    }

    let inventory = HostInventory(hosts: [
        HostDefinition(name: "outpost", address: "127.0.0.1", port: 2201),
        HostDefinition(name: "vps", address: "127.0.0.1", port: 2202, parents: ["outpost"]),
        HostDefinition(name: "skynet", address: "127.0.0.1", local: true),
    ])

    func job(_ script: Script, _ clock: ManualNow, auth: Bool = false) -> ProbeHostsJob {
        ProbeHostsJob(inventory: inventory, settings: SSHSettings(), authenticate: auth, checks: script.checks, now: { clock.now })
    }

    @Test func deadHostGoesOfflineAtTheThirdRunIsSkippedWithinTheIntervalThenChecksBackOnline() async throws {
        let dir = try TemporaryDirectory()
        let store = HostStateStore(journal: try JournalDatabase(path: dir.file("j.sqlite")), journalRows: true, runner: "r")
        let notifier = RecordingHostNotifier()
        let clock = ManualNow(Timestamp(seconds: 1_800_000_000))
        let script = Script()
        script.setAnswering(["outpost"])

        // Given three runs a minute apart with vps refusing
        for _ in 0..<3 {
            _ = try await job(script, clock).run(store: store, notifier: notifier)
            clock.advance(60)
        }
        // Then vps went OFFLINE once; outpost and the local host stayed ONLINE
        #expect(notifier.transitions.map { "\($0.host):\($0.from.rawValue)>\($0.to.rawValue)" } == ["vps:ONLINE>OFFLINE"])
        #expect(try store.load().status(of: "vps").state == .offline)

        // When a fourth run comes within 300 s, vps is not probed and is reported as skipped
        script.reset()
        let fourth = try await job(script, clock).run(store: store, notifier: notifier)
        #expect(script.probedHosts == ["outpost"])
        let vps = try #require(fourth.entries.first { $0.host.name == "vps" })
        #expect(!vps.plan.due && vps.outcome == nil)
        #expect(vps.plan.nextCheckAt == Timestamp(seconds: 1_800_000_000).adding(seconds: 120 + 300))
        #expect(fourth.skippedCount == 1)

        // When vps answers again after the interval: CHECKING, then --auth: ONLINE
        clock.advance(300)
        script.setAnswering(["outpost", "vps"])
        let fifth = try await job(script, clock).run(store: store, notifier: notifier)
        #expect(fifth.transitions.map(\.to) == [.checking])
        script.setSessionOK(["outpost", "vps"])
        let sixth = try await job(script, clock, auth: true).run(store: store, notifier: notifier)
        #expect(sixth.transitions.map { "\($0.from.rawValue)>\($0.to.rawValue)" } == ["CHECKING>ONLINE"])
        #expect(notifier.transitions.count == 3)
        // One journal row per transition
        #expect(try JournalDatabase(path: dir.file("j.sqlite")).depth().rows == 3)
        #expect(try store.load().status(of: "vps").consecutiveFailures == 0)
    }

    @Test func authFailureOnAnAnsweringOfflineHostKeepsItOfflineAndNamesTheError() async throws {
        let dir = try TemporaryDirectory()
        let store = HostStateStore(journal: try JournalDatabase(path: dir.file("j.sqlite")), journalRows: false, runner: "r")
        let notifier = RecordingHostNotifier()
        let clock = ManualNow(Timestamp(seconds: 1_800_000_000))
        let script = Script()
        script.setAnswering(["outpost", "vps"])
        // Given vps OFFLINE long enough ago to be due
        _ = try store.record(
            (0..<3).map { _ in HostStateStore.Event(host: "vps", event: .probeFailed(error: "x"), at: clock.now) },
            thresholds: SSHSettings().thresholds,
            now: clock.now)
        clock.advance(301)
        // When --auth runs and the session fails (host key refused)
        let report = try await job(script, clock, auth: true).run(store: store, notifier: notifier)
        // Then vps stays OFFLINE (no CHECKING blip), with the session's error
        let vps = try #require(report.entries.first { $0.host.name == "vps" })
        #expect(vps.after.state == .offline)
        #expect(vps.transition == nil)
        #expect(vps.outcome == .sessionFailed("SSH hostKeyMismatch for host vps"))
        #expect(vps.after.lastError == "SSH hostKeyMismatch for host vps")
        #expect(notifier.transitions.isEmpty)
        #expect(script.sessionHosts == ["outpost", "vps"])
    }

    @Test func dryRunPlansWithoutCheckingOrWriting() async throws {
        let dir = try TemporaryDirectory()
        let store = HostStateStore(journal: try JournalDatabase(path: dir.file("j.sqlite")), journalRows: true, runner: "r")
        let clock = ManualNow(Timestamp(seconds: 1_800_000_000))
        _ = try store.record(
            (0..<3).map { _ in HostStateStore.Event(host: "vps", event: .probeFailed(error: "x"), at: clock.now) },
            thresholds: SSHSettings().thresholds,
            now: clock.now)
        let before = try store.journal.loadState("hosts")
        let script = Script()
        let report = job(script, clock).dryRun(try store.load(), at: clock.now.adding(seconds: 10))
        #expect(report.dryRun)
        #expect(report.entries.map(\.plan.due) == [true, false, true])
        #expect(script.probedHosts.isEmpty)
        #expect(try store.journal.loadState("hosts") == before)
    }

    @Test func manyHostsAreCheckedInParallelWithinTheConcurrencyCap() async throws {
        let dir = try TemporaryDirectory()
        let store = HostStateStore(journal: try JournalDatabase(path: dir.file("j.sqlite")), journalRows: false, runner: "r")
        let hosts = (0..<40).map { HostDefinition(name: "h\($0)", address: "127.0.0.1", port: 2000 + $0) }
        final class Gauge: @unchecked Sendable {
            let lock = NSLock()
            var current = 0
            var peak = 0
        }
        let gauge = Gauge()
        let checks = HostChecks(
            probe: { _, _ in
                gauge.lock.withLock {
                    gauge.current += 1
                    gauge.peak = max(gauge.peak, gauge.current)
                }
                try? await Task.sleep(for: .milliseconds(200))
                gauge.lock.withLock { gauge.current -= 1 }
                return .probeFailed("probe: no SSH banner within the timeout")
            }, session: { _ in .sessionFailed("unused") }, local: { _ in .localFailed("unused") })
        var settings = SSHSettings()
        settings.probeConcurrency = 10
        let job = ProbeHostsJob(
            inventory: HostInventory(hosts: hosts), settings: settings, authenticate: false, checks: checks,
            now: { Timestamp(epochSeconds: Date().timeIntervalSince1970) })
        let report = try await job.run(store: store, notifier: RecordingHostNotifier())
        // Ten in flight at once, never more: parallel, and bounded. (No wall-time bound here: in
        // a full parallel test run other suites hold the cooperative threads the sleeps resume on.)
        #expect(gauge.peak == 10)
        #expect(report.failedCount == 40)
        #expect(report.checkedCount == 40)
    }
}
