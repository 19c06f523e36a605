import ArgumentParser

/// The `jarvis` command: one short-lived subcommand per systemd timer.
@main
struct Jarvis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jarvis",
        abstract: "Fixes infrastructure when Prometheus alerts fire.",
        discussion: """
            jarvis is a batch tool: systemd timers run one subcommand at a time. Alertmanager \
            notifications land in a spool folder; `ingest` records each alert durably in a local \
            journal and passes the rows on to PostgreSQL, the store of record. Without PostgreSQL \
            configured, jarvis runs embedded: SQLite is the store of record. `probe-hosts` keeps \
            the ONLINE/OFFLINE/CHECKING state of every host in the inventory; `hosts` shows it.

            Each alert is triaged (dedup, maintenance windows, offline hosts, cascades, \
            flapping, attempt budget) and the actionable ones get a fix: a trusted learned \
            pattern or the LLM's plan, in which every command must be an action of the catalog \
            that passes the command policy. Remediation is dry-run until `remediation.mode: \
            execute`; high-risk plans wait for `approve`. People hear about it on Discord. `learn` \
            turns verified fixes into patterns and trusts them more with each verified outcome \
            (`patterns` lists, disables and exports them); `replay` shows what the current \
            configuration and patterns would have done with past alerts.

            Configuration: --config FILE, else $JARVIS_CONFIG, else /etc/jarvis/jarvis.yml if it \
            exists, else built-in defaults. JARVIS_SPOOL_DIR, JARVIS_STATE_DIR, JARVIS_METRICS_DIR \
            and DATABASE_URL override the file, and flags override both; libpq's PG* variables and \
            ~/.pgpass fill in what the PostgreSQL URL leaves out.

            Exit codes: 0 success; 75 completed degraded, try again later (PostgreSQL away, lock \
            busy, Discord messages waiting); 78 configuration error; 64 usage (an unknown host or \
            id); 65 bad input; 74 local I/O error (disk full…).
            """,
        version: "0.1.0",
        subcommands: [
            Ingest.self, Drain.self, Enqueue.self, Status.self, Migrate.self, CheckConfig.self, ProbeHosts.self, Hosts.self, Maintenance.self,
            Approve.self, Reject.self,
            Learn.self, Patterns.self, Replay.self,
            WeeklyReportCommand.self, Accept.self,
        ])
}
