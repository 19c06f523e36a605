import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSSH

struct Hosts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "List the hosts of the inventory with their state, or scan a host's SSH key.",
        discussion: """
            `jarvis hosts` (or `jarvis hosts list`) shows each host's state as the last runs left \
            it: ONLINE, OFFLINE or CHECKING, since when, failed attempts in a row, the last \
            error and the last success. It only reads; `jarvis probe-hosts` updates the states.

            `jarvis hosts scan NAME` fetches a host's SSH key and prints it as a known_hosts line \
            for you to review and add: jarvis never trusts a key on its own.

            Examples:
              jarvis hosts
              jarvis hosts --json | jq '.hosts[] | select(.state != "ONLINE")'
              jarvis hosts scan outpost
            """,
        subcommands: [List.self, Scan.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List hosts with state, since when, consecutive failures, last error and last success.",
            discussion: """
                A host jarvis has never checked shows as ONLINE with no history. For an OFFLINE \
                host, NEXT CHECK says when `probe-hosts` will probe it again (ssh.recheck_interval \
                after its last check). Exits 0 whatever the states.

                Examples:
                  jarvis hosts list
                  jarvis hosts --json
                """)

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            RunContext.execute("hosts", options, recordRun: false) { context in
                let configuration = context.configuration
                let document = try context.readHostStates()
                let now = Timestamp.now()
                let hosts = configuration.hosts
                if json {
                    let objects: [[String: Any]] = hosts.map { host in
                        let status = document.status(of: host.name)
                        return [
                            "host": host.name, "address": host.address, "port": host.port, "local": host.local,
                            "parents": host.parents, "state": status.state.rawValue, "since": status.since?.rfc3339 ?? NSNull(),
                            "consecutive_failures": status.consecutiveFailures, "last_error": status.lastError ?? NSNull(),
                            "last_success_at": status.lastSuccessAt?.rfc3339 ?? NSNull(),
                            "last_checked_at": status.lastCheckedAt?.rfc3339 ?? NSNull(),
                            "next_check_at": nextCheck(status, configuration)?.rfc3339 ?? NSNull(),
                        ]
                    }
                    let recent = document.history.suffix(20).map { transition -> [String: Any] in
                        [
                            "host": transition.host, "from": transition.from.rawValue, "to": transition.to.rawValue,
                            "at": transition.at.rfc3339, "error": transition.error ?? NSNull(),
                        ]
                    }
                    let object: [String: Any] = ["hosts": objects, "recent_transitions": recent, "history_size": document.history.count]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                    Console.print(String(decoding: data, as: UTF8.self))
                    return .ok("\(hosts.count) hosts")
                }
                guard !hosts.isEmpty else {
                    let summary = "no hosts in the inventory; add a hosts: section to \(configuration.source)"
                    Console.print(summary)
                    return .ok(summary)
                }
                var rows = [["HOST", "ENDPOINT", "STATE", "SINCE", "FAILS", "LAST SUCCESS", "NEXT CHECK", "LAST ERROR"]]
                for host in hosts {
                    let status = document.status(of: host.name)
                    let ago = { (time: Timestamp?) in time.map { "\($0.age(now: now)) ago" } ?? "-" }
                    let next = nextCheck(status, configuration).map { $0 <= now ? "due now" : "in \(now.age(now: $0))" } ?? "-"
                    let error = status.lastError ?? "-"
                    rows.append([
                        host.name, HostText.endpoint(host), status.state.rawValue, status.since == nil ? "never changed" : ago(status.since),
                        String(status.consecutiveFailures), ago(status.lastSuccessAt), next, error,
                    ])
                }
                var counts: [HostState: Int] = [:]
                for host in hosts { counts[document.status(of: host.name).state, default: 0] += 1 }
                let summary =
                    "\(hosts.count) host\(hosts.count == 1 ? "" : "s"): "
                    + HostState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }.joined(separator: ", ")
                Console.print((HostText.table(rows) + [summary]).joined(separator: "\n"))
                return .ok(summary)
            }
        }

        private func nextCheck(_ status: HostStatus, _ configuration: JarvisConfiguration) -> Timestamp? {
            guard status.state == .offline, let last = status.lastCheckedAt else { return nil }
            return last.adding(seconds: configuration.ssh.recheckInterval)
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "Print a host's SSH key as a known_hosts line for you to review; writes nothing.",
            discussion: """
                Connects to the host, performs the SSH key exchange without checking the key and \
                without logging in, and prints the key on stdout in known_hosts format \
                (`[address]:port` for ports other than 22); its SHA256 fingerprint goes to stderr.

                Compare the fingerprint with the one the host itself shows (on its console: \
                `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`), then append the line to the \
                host's known_hosts_file yourself. Until then jarvis refuses to connect to it.

                Examples:
                  jarvis hosts scan outpost
                  jarvis hosts scan outpost >> /etc/jarvis/known_hosts   # after checking the fingerprint

                Exits 0 with the key, 64 for an unknown or local host, 75 when the host cannot be reached.
                """)

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The host's name in the inventory.", valueName: "name"))
        var name: String

        func run() throws {
            RunContext.execute("hosts-scan", options, recordRun: false) { context in
                let configuration = context.configuration
                guard let index = configuration.hosts.firstIndex(where: { $0.name == name }) else {
                    let known = configuration.hosts.map(\.name).joined(separator: ", ")
                    let message = "no host named \"\(name)\" in the inventory" + (known.isEmpty ? " (it is empty)" : " (hosts: \(known))")
                    Console.log(.error, message)
                    return RunOutcome(exitCode: JarvisExit.usage, result: "failed", summary: message)
                }
                let host = configuration.hosts[index]
                guard !host.local else {
                    let message = "host \(host.name) is local: jarvis runs its commands without SSH, so there is no host key to scan"
                    Console.log(.error, message)
                    return RunOutcome(exitCode: JarvisExit.usage, result: "failed", summary: message)
                }
                let key: KnownHostsScanner.ScannedKey
                do {
                    key = try LiveEnvironment.scanHostKey(host, timeout: configuration.ssh.connectTimeoutDuration)
                } catch {
                    Console.log(.warning, "\(error)")
                    return RunOutcome(exitCode: JarvisExit.tempFail, result: "degraded", summary: "\(error)")
                }
                let target = host.knownHostsFile.map { "append it to \($0)" } ?? "set hosts[\(index)].known_hosts_file and append it there"
                FileHandle.standardError.write(
                    Data(
                        """
                        # host \(host.name) (\(HostText.endpoint(host))) presents \(key.algorithm) key \(key.fingerprint)
                        # Review: compare this fingerprint with the host's own (ssh-keygen -lf on its public key), then \(target).
                        # jarvis wrote nothing.

                        """.utf8))
                Console.print(key.knownHostsLine)
                return .ok("scanned \(host.name): \(key.fingerprint)")
            }
        }
    }
}
