import Foundation
import JarvisCore

/// `jarvis weekly-report`: reads the period's figures from the store of record, writes the
/// HTML page, and queues the Discord embed once per period.
///
/// With PostgreSQL configured the figures come from its `jarvis_report_*` functions; when it
/// cannot be reached they come from this runner's local rows (SQLite), and the report and
/// the exit status (75) say so. The journal's traffic is always local.
public struct WeeklyReportJob {
    public var period: ReportPeriod
    /// This runner's local rows (live: the local database).
    public var journal: any ReportDatabase
    /// Opens PostgreSQL's report functions; nil in embedded mode.
    public var connectStore: (() throws -> any ReportDatabase)?
    public var now: () -> Timestamp

    public init(period: ReportPeriod, journal: any ReportDatabase, connectStore: (() throws -> any ReportDatabase)?, now: @escaping () -> Timestamp) {
        self.period = period
        self.journal = journal
        self.connectStore = connectStore
        self.now = now
    }

    /// Builds the report.
    ///
    /// - Throws: `JournalError` when SQLite fails; `StoreFailure` (not unreachable) when
    ///   PostgreSQL answers but refuses (e.g. the schema is not migrated).
    public func build() throws -> WeeklyReport {
        let local = journal
        guard let connectStore else {
            return try WeeklyReport.build(period: period, store: local, journal: nil, source: .embedded, generatedAt: now())
        }
        do {
            let store = try connectStore()
            return try WeeklyReport.build(period: period, store: store, journal: local, source: .postgres, generatedAt: now())
        } catch let failure as StoreFailure where failure.unreachable {
            return try WeeklyReport.build(
                period: period, store: local, journal: local, source: .localFallback(reason: failure.description), generatedAt: now())
        }
    }

    /// Where the HTML goes by default: `STATE/reports/weekly-<period>.html`.
    public static func defaultHTMLPath(_ configuration: JarvisConfiguration, period: ReportPeriod) -> String {
        let name = period.label.replacingOccurrences(of: " … ", with: "_").filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return configuration.stateDir + "/reports/weekly-" + name + ".html"
    }

    /// Writes `text` to `path` atomically (a temp file beside it, fsync, rename), mode 0644,
    /// creating the folder if needed.
    ///
    /// - Throws: `FileWriteError` with a one-line reason.
    public static func writeAtomically(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw FileWriteError("cannot create \(folder): \(error.localizedDescription)")
            }
        }
        try AtomicFile.write(Array(text.utf8), to: path, mode: 0o644)
    }
}
