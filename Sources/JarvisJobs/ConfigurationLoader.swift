import Foundation
import JarvisCore
import Yams

/// A problem in the configuration, with the key path it concerns.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// e.g. `postgres.connect_timeout`, or the file path for whole-file problems.
    public var keyPath: String
    public var message: String
    /// The subcommands this problem stops (exit 78); nil: every one.
    public var stops: Set<String>?
    /// The subcommands that run without the setting instead (ingest without an LLM
    /// escalates what it would have diagnosed).
    public var degrades: Set<String> = []

    public init(_ keyPath: String, _ message: String, stops: Set<String>? = nil, degrades: Set<String> = []) {
        self.keyPath = keyPath
        self.message = message
        self.stops = stops
        self.degrades = degrades
    }

    public var description: String { "\(keyPath): \(message)" }

    /// Whether `command` must refuse to run because of this problem.
    public func stops(_ command: String) -> Bool { stops?.contains(command) ?? true }

    /// Which subcommands it concerns, for `check-config`.
    public var scope: String {
        guard let stops else { return "stops every subcommand" }
        var parts: [String] = []
        if !stops.isEmpty { parts.append("stops \(stops.sorted().joined(separator: ", "))") }
        if !degrades.isEmpty { parts.append("\(degrades.sorted().joined(separator: ", ")) runs without it") }
        return parts.isEmpty ? "stops nothing" : parts.joined(separator: "; ")
    }
}

/// The subcommands that use each secret, so that a missing or bad one stops only those.
public enum SecretUsers {
    /// Subcommands that send Discord notifications.
    public static let discord: Set<String> = ["ingest", "probe-hosts", "maintenance", "weekly-report"]
    /// Subcommands that ask the LLM; ingest runs without it (tier 3 escalates).
    public static let llm: Set<String> = ["ingest"]
}

/// The configuration could not be used; `problems` lists every reason.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var problems: [ConfigurationProblem]

    /// One line: the first problem, and how many more there are.
    public var description: String {
        let first = problems.first.map(\.description) ?? "invalid configuration"
        let more = problems.count > 1 ? " (and \(problems.count - 1) more problem\(problems.count > 2 ? "s" : ""); run `jarvis check-config`)" : ""
        return "configuration \(source): \(first)\(more)"
    }
}

/// Where configuration values come from, highest priority first: flags, environment,
/// systemd credentials, the YAML file, defaults.
public struct ConfigurationOverrides: Sendable {
    public var configFile: String?
    public var spoolDir: String?
    public var stateDir: String?
    public var databaseURL: String?
    public var embedded = false

    public init(configFile: String? = nil, spoolDir: String? = nil, stateDir: String? = nil, databaseURL: String? = nil, embedded: Bool = false) {
        self.configFile = configFile
        self.spoolDir = spoolDir
        self.stateDir = stateDir
        self.databaseURL = databaseURL
        self.embedded = embedded
    }
}

/// Loads `JarvisConfiguration` from file, environment and systemd credentials.
public struct ConfigurationLoader: Sendable {
    public static let defaultPath = "/etc/jarvis/jarvis.yml"

    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads and validates the configuration.
    /// - Throws: `ConfigurationError` listing every problem found.
    public func load(_ overrides: ConfigurationOverrides) throws(ConfigurationError) -> JarvisConfiguration {
        let (configuration, problems) = loadReportingProblems(overrides)
        if !problems.isEmpty { throw ConfigurationError(source: configuration.source, problems: problems) }
        return configuration
    }

    /// Loads the configuration for one subcommand: only the problems that stop `command`
    /// throw. A setting `command` can run without is switched off and its problem returned,
    /// for the caller to say once that the run is degraded.
    /// - Throws: `ConfigurationError` listing the problems that stop `command`.
    public func load(_ overrides: ConfigurationOverrides, for command: String) throws(ConfigurationError) -> (
        JarvisConfiguration, degraded: [ConfigurationProblem]
    ) {
        var (configuration, problems) = loadReportingProblems(overrides)
        let stopping = problems.filter { $0.stops(command) }
        if !stopping.isEmpty { throw ConfigurationError(source: configuration.source, problems: stopping) }
        problems = problems.filter { $0.degrades.contains(command) }
        if problems.contains(where: { $0.keyPath.hasPrefix("llm.") }) { configuration.llm = nil }
        return (configuration, problems)
    }

    /// Loads the configuration and collects every problem instead of stopping at the first.
    public func loadReportingProblems(_ overrides: ConfigurationOverrides) -> (JarvisConfiguration, [ConfigurationProblem]) {
        var configuration = JarvisConfiguration()
        var problems: [ConfigurationProblem] = []

        // 1. The file: --config, then $JARVIS_CONFIG, then /etc/jarvis/jarvis.yml if present.
        let explicitPath = overrides.configFile ?? environment["JARVIS_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicitPath ?? (FileManager.default.fileExists(atPath: Self.defaultPath) ? Self.defaultPath : nil)
        if let path {
            configuration.source = path
            do {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                var reader = YAMLReader(problems: [])
                reader.read(text, into: &configuration)
                problems += reader.problems
            } catch {
                let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (\(Self.reason(error)))" : "no such file"
                problems.append(ConfigurationProblem(path, reason))
            }
        }

        // 2. systemd credentials (the units' LoadCredential=database_url:jarvis.database_url, and
        //    discord_webhook_url).
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            for name in ["database_url", "database-url", "DATABASE_URL"] {
                let file = directory + "/" + name
                if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                    let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !url.isEmpty {
                        configuration.postgres = PostgresSettings(url: Secret(url), connectTimeout: configuration.postgres?.connectTimeout ?? 3)
                    }
                    break
                }
            }
            // LoadCredential=discord_webhook_url:jarvis.discord_webhook_url
            if let text = try? String(contentsOfFile: directory + "/discord_webhook_url", encoding: .utf8) {
                let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !url.isEmpty { configuration.discord.webhookURL = Secret(url) }
            }
            // LoadCredential=accept_token:jarvis.accept_token (only ever from a credential).
            if let text = try? String(contentsOfFile: directory + "/accept_token", encoding: .utf8) {
                let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !token.isEmpty { configuration.acceptToken = Secret(token) }
            }
        }

        // A relative replay file is relative to the configuration file.
        if let file = configuration.llm?.replayFile, !file.hasPrefix("/"), configuration.source.hasPrefix("/") || configuration.source.contains("/") {
            let folder = (configuration.source as NSString).deletingLastPathComponent
            configuration.llm?.replayFile = (folder as NSString).appendingPathComponent(file)
        }

        // LLM key: credentials, then environment (never from a flag: it would show in ps).
        if configuration.llm != nil {
            if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty,
                let text = try? String(contentsOfFile: directory + "/llm_api_key", encoding: .utf8)
            {
                let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !key.isEmpty { configuration.llm?.apiKey = Secret(key) }
            }
            for name in ["JARVIS_LLM_API_KEY", configuration.llm?.provider == .openai ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"] {
                if let value = environment[name], !value.isEmpty {
                    configuration.llm?.apiKey = Secret(value)
                    break
                }
            }
        }

        // 3. Environment.
        if let value = environment["JARVIS_DISCORD_WEBHOOK_URL"], !value.isEmpty {
            configuration.discord.webhookURL = Secret(value.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if let value = environment["JARVIS_SPOOL_DIR"], !value.isEmpty { configuration.spoolDir = value }
        if let value = environment["JARVIS_STATE_DIR"], !value.isEmpty { configuration.stateDir = value }
        if let value = environment["JARVIS_METRICS_DIR"], !value.isEmpty { configuration.metricsDir = value }
        if let value = environment["DATABASE_URL"], !value.isEmpty {
            configuration.postgres = PostgresSettings(url: Secret(value), connectTimeout: configuration.postgres?.connectTimeout ?? 3)
        }

        // 4. Flags.
        if let value = overrides.spoolDir { configuration.spoolDir = value }
        if let value = overrides.stateDir { configuration.stateDir = value }
        if let value = overrides.databaseURL {
            configuration.postgres = PostgresSettings(url: Secret(value), connectTimeout: configuration.postgres?.connectTimeout ?? 3)
        }
        if overrides.embedded { configuration.postgres = nil }

        if let value = environment["JARVIS_RUNNER_ID"], !value.isEmpty { configuration.runner = value }
        if configuration.runner.isEmpty { configuration.runner = Self.hostName() }
        if let url = configuration.postgres?.url?.value, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || url.contains("=")) {
            problems.append(ConfigurationProblem("postgres.url", "expected a postgresql:// URL or a libpq conninfo string (key=value …)"))
        }
        if let url = configuration.discord.webhookURL?.value, let problem = DiscordSettings.problem(withWebhookURL: url) {
            problems.append(ConfigurationProblem("discord.webhook_url", problem, stops: SecretUsers.discord))
        }
        for (key, dir) in [("spool_dir", configuration.spoolDir), ("state_dir", configuration.stateDir)] where dir.isEmpty {
            problems.append(ConfigurationProblem(key, "must not be empty"))
        }
        problems += Self.remediationProblems(configuration)
        return (configuration, problems)
    }

    /// Remediation and LLM settings that name things that do not exist.
    static func remediationProblems(_ configuration: JarvisConfiguration) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        let names = Set(configuration.hosts.map(\.name))
        if let host = configuration.remediation.jarvisHost, !names.contains(host) {
            problems.append(ConfigurationProblem("remediation.jarvis_host", "no host \"\(host)\" in the inventory"))
        }
        for host in configuration.remediation.hostOverrides.keys.sorted() where !names.contains(host) {
            problems.append(ConfigurationProblem("remediation.hosts.\(host)", "no host \"\(host)\" in the inventory"))
        }
        let catalog = RemediationCatalog(configuration: configuration).catalog
        for problem in catalog.problems { problems.append(ConfigurationProblem("remediation.actions", "\(problem)")) }
        if let llm = configuration.llm {
            if let file = llm.replayFile {
                if !FileManager.default.isReadableFile(atPath: file) {
                    problems.append(ConfigurationProblem("llm.replay_file", "\(file) cannot be read", stops: [], degrades: SecretUsers.llm))
                }
            } else if llm.provider == .anthropic && (llm.apiKey?.value ?? "").isEmpty {
                problems.append(
                    ConfigurationProblem(
                        "llm.api_key", "the Anthropic API needs a key: llm.api_key, $CREDENTIALS_DIRECTORY/llm_api_key or ANTHROPIC_API_KEY",
                        stops: [], degrades: SecretUsers.llm))
            } else if llm.provider == .openai && llm.baseURL == nil {
                problems.append(
                    ConfigurationProblem(
                        "llm.base_url", "an OpenAI-compatible provider needs its base URL (e.g. http://127.0.0.1:11434/v1)", stops: [],
                        degrades: SecretUsers.llm))
            }
        }
        return problems
    }

    /// gethostname(2): unlike `ProcessInfo.hostName`, it never asks a resolver.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(cString: buffer)
    }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}

/// Walks the parsed YAML by hand so that every problem carries its key path, unknown keys
/// (typos) are reported instead of silently ignored, and a wrong type never becomes a trace.
struct YAMLReader {
    var problems: [ConfigurationProblem]

    mutating func read(_ text: String, into configuration: inout JarvisConfiguration) {
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch let error as YamlError {
            problems.append(ConfigurationProblem(configuration.source, "not valid YAML: \(Self.oneLine(error))"))
            return
        } catch {
            problems.append(ConfigurationProblem(configuration.source, "not valid YAML: \(error)"))
            return
        }
        guard let root else { return }  // an empty file: all defaults
        guard let top = root as? [String: Any] else {
            problems.append(ConfigurationProblem(configuration.source, "expected a mapping of settings at the top level"))
            return
        }
        for (key, value) in top {
            switch key {
            case "spool_dir": if let v = string(value, key) { configuration.spoolDir = v }
            case "state_dir": if let v = string(value, key) { configuration.stateDir = v }
            case "runner": readRunner(value, into: &configuration)
            case "metrics_dir":
                if value is NSNull { continue }
                if let v = string(value, key) {
                    if v.isEmpty {
                        problems.append(ConfigurationProblem(key, "must not be empty (leave it out for no metrics)"))
                    } else {
                        configuration.metricsDir = v
                    }
                }
            case "postgres":
                guard let map = section(value, key) else { continue }
                var settings = PostgresSettings()
                for (sub, subValue) in map {
                    let path = "postgres.\(sub)"
                    switch sub {
                    case "url": if let v = string(subValue, path), !v.isEmpty { settings.url = Secret(v) }
                    case "connect_timeout": if let v = integer(subValue, path, in: 1...60) { settings.connectTimeout = v }
                    default: unknown(path)
                    }
                }
                configuration.postgres = settings
            case "ingest":
                guard let map = mapping(value, key) else { continue }
                for (sub, subValue) in map {
                    let path = "ingest.\(sub)"
                    switch sub {
                    case "max_file_size": if let v = byteSize(subValue, path) { configuration.ingest.maxFileSize = v }
                    case "lock_timeout": if let v = integer(subValue, path, in: 0...3600) { configuration.ingest.lockTimeout = Double(v) }
                    case "group_files": if let v = integer(subValue, path, in: 1...10_000) { configuration.ingest.groupFiles = v }
                    case "group_alerts": if let v = integer(subValue, path, in: 1...1_000_000) { configuration.ingest.groupAlerts = v }
                    default: unknown(path)
                    }
                }
            case "drain":
                guard let map = mapping(value, key) else { continue }
                for (sub, subValue) in map {
                    let path = "drain.\(sub)"
                    switch sub {
                    case "batch_size": if let v = integer(subValue, path, in: 1...100_000) { configuration.drain.batchSize = v }
                    case "lock_timeout": if let v = integer(subValue, path, in: 0...3600) { configuration.drain.lockTimeout = Double(v) }
                    default: unknown(path)
                    }
                }
            case "hosts":
                if value is NSNull { continue }
                configuration.hosts = readHosts(value)
            case "ssh":
                guard let map = section(value, key) else { continue }
                readSSH(map, into: &configuration.ssh)
            case "triage":
                guard let map = section(value, key) else { continue }
                readTriage(map, into: &configuration.triage)
            case "remediation":
                guard let map = section(value, key) else { continue }
                readRemediation(map, into: &configuration.remediation)
            case "llm":
                guard let map = section(value, key) else { continue }
                configuration.llm = readLLM(map, environment: [:])
            case "cascade":
                if value is NSNull { continue }
                if let cascade = readCascade(value) { configuration.cascade = cascade }
            case "discord":
                guard let map = section(value, key) else { continue }
                readDiscord(map, into: &configuration.discord)
            default: unknown(key)
            }
        }
        problems.sort { $0.keyPath < $1.keyPath }
    }

    mutating func unknown(_ path: String) {
        problems.append(ConfigurationProblem(path, "unknown setting (misspelt?)"))
    }

    /// The settings under a section's key: nil when the key is left empty (`triage:` alone:
    /// the defaults) or holds something other than a mapping (reported).
    mutating func section(_ value: Any, _ path: String) -> [String: Any]? {
        value is NSNull ? nil : mapping(value, path)
    }

    /// The items of a list with their key paths (`path[i]`); nil, reported, for anything else.
    /// - Parameter what: What the list holds, for the message ("expected a list of hosts").
    mutating func list(_ value: Any, _ path: String, of what: String? = nil) -> [(path: String, value: Any)]? {
        guard let items = value as? [Any] else {
            problems.append(ConfigurationProblem(path, "expected a list\(what.map { " of \($0)" } ?? ""), found \(Self.kind(value))"))
            return nil
        }
        return items.enumerated().map { ("\(path)[\($0)]", $1) }
    }

    mutating func mapping(_ value: Any, _ path: String) -> [String: Any]? {
        if let map = value as? [String: Any] { return map }
        problems.append(ConfigurationProblem(path, "expected a mapping, found \(Self.kind(value))"))
        return nil
    }

    mutating func string(_ value: Any, _ path: String) -> String? {
        if let text = value as? String { return text }
        problems.append(ConfigurationProblem(path, "expected text, found \(Self.kind(value))"))
        return nil
    }

    mutating func integer(_ value: Any, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let number = value as? Int, !(value is Bool) else {
            problems.append(ConfigurationProblem(path, "expected a whole number, found \(Self.kind(value))"))
            return nil
        }
        guard range.contains(number) else {
            problems.append(ConfigurationProblem(path, "\(number) is out of range \(range.lowerBound)…\(range.upperBound)"))
            return nil
        }
        return number
    }

    /// `1048576`, `512KiB`, `1MiB`, `2MB`.
    mutating func byteSize(_ value: Any, _ path: String) -> Int? {
        if let number = value as? Int, number > 0 { return number }
        if let text = value as? String {
            let units: [(String, Int)] = [
                ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
            ]
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
                if let number = Int(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), number > 0 { return number * factor }
            }
        }
        problems.append(ConfigurationProblem(path, "expected a size such as 1048576, 512KiB or 1MiB, found \(Self.kind(value))"))
        return nil
    }

    static func kind(_ value: Any) -> String {
        switch value {
        case is NSNull: return "nothing"
        case is Bool: return "true/false"
        case let v as Int: return "the number \(v)"
        case is Double: return "a decimal number"
        case let v as String: return "'\(v.prefix(40))'"
        case is [Any]: return "a list"
        case is [String: Any]: return "a mapping"
        case is Date: return "a date"
        default: return "a different kind of value"
        }
    }

    static func oneLine(_ error: YamlError) -> String {
        "\(error)".split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.prefix(2).joined(separator: " ")
    }
}
