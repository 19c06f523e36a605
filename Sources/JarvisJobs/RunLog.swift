import Foundation
import JarvisCore

/// The last run of each subcommand, for `jarvis status`: one small JSON file per subcommand in
/// `STATE/runs/`, replaced by rename.
///
/// Kept out of SQLite on purpose: it is advisory, so it needs no fsync, and a timer that fires
/// every minute on an empty spool should not pay for two synced transactions.
public struct RunLog: Sendable {
    public let directory: String

    public init(stateDir: String) { directory = stateDir + "/runs" }

    /// Records how `command` ended.
    public func record(_ run: RunRecord) {
        guard let data = try? JSONEncoder().encode(run) else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: directory + "/\(run.command).json"), options: .atomic)
    }

    /// The last run of every subcommand, by name.
    public func all() -> [RunRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).flatMap { try? JSONDecoder().decode(RunRecord.self, from: $0) }
        }
    }
}

/// The last run of one subcommand.
public struct RunRecord: Sendable, Equatable, Codable {
    public var command: String
    public var startedAt: String
    public var finishedAt: String
    public var result: String
    public var exitCode: Int32
    public var summary: String
    public var pid: Int32

    public init(command: String, startedAt: Timestamp, finishedAt: Timestamp, result: String, exitCode: Int32, summary: String, pid: Int32) {
        self.command = command
        self.startedAt = startedAt.rfc3339
        self.finishedAt = finishedAt.rfc3339
        self.result = result
        self.exitCode = exitCode
        self.summary = summary
        self.pid = pid
    }

    enum CodingKeys: String, CodingKey {
        case command, result, summary, pid
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case exitCode = "exit_code"
    }
}
